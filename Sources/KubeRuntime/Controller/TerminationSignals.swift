#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// SIGINT/SIGTERM for graceful shutdown, without a dispatch queue: the signal handler only
/// writes the signal number to a pipe (async-signal-safe), and `wait()` reads it.
public enum TerminationSignals {
    /// Installs the handlers (once) and blocks the calling thread until SIGINT or SIGTERM
    /// arrives or `trigger` is called. Returns the signal number (0 for `trigger`).
    /// Each signal wakes one waiter.
    public static func wait() -> Int32 {
        let fds = installed
        var byte: UInt8 = 0
        while true {
            let n = read(fds.read, &byte, 1)
            if n == 1 { return Int32(byte) }
            if n < 0 && errno == EINTR { continue }
            return -1
        }
    }

    /// Wakes one `wait()` as if a signal had arrived (returns 0 there).
    public static func trigger() {
        var byte: UInt8 = 0
        _ = write(installed.write, &byte, 1)
    }

    /// Installs the SIGINT/SIGTERM handlers now (`wait` does it on first use).
    public static func install() { _ = installed }

    private static let installed: (read: Int32, write: Int32) = {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { return (-1, -1) }
        signalWriteFD.store(fds[1], ordering: .releasing)
        _ = signal(SIGINT, terminationHandler)
        _ = signal(SIGTERM, terminationHandler)
        return (fds[0], fds[1])
    }()
}

/// The pipe's write end, read by the signal handler (an atomic load is async-signal-safe).
private let signalWriteFD = Atomic<Int32>(-1)

private func terminationHandler(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalWriteFD.load(ordering: .acquiring), &byte, 1)
}
