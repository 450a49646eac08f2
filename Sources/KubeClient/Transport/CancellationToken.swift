import Glibc
import KubeCore

/// Cancels one or more in-flight requests or watches from any thread.
///
/// `cancel()` sets a flag that the transfer checks (curl's progress callback) and shuts
/// down the sockets of streamed transfers registered with it, so a blocked watch returns
/// at once rather than at the next progress tick. A cancelled transfer fails with
/// `KubeError.transport(kind: .cancelled)`; a cancelled watch simply ends.
public final class CancellationToken: Sendable {
    private struct State {
        var cancelled = false
        var sockets: Set<Int32> = []
    }

    private let state = Locked(State())

    public init() {}

    /// Requests cancellation. Idempotent, callable from any thread.
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            for socket in state.sockets {
                // Wakes a transfer blocked in poll(); the fd stays open until curl closes it.
                _ = shutdown(socket, Int32(SHUT_RDWR))
            }
        }
    }

    /// True once `cancel()` was called.
    public var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    /// Registers a socket owned by a transfer of this token. Returns false when already cancelled.
    func register(socket: Int32) -> Bool {
        state.withLock { state in
            if state.cancelled { return false }
            state.sockets.insert(socket)
            return true
        }
    }

    /// Closes a registered socket; under the lock so `cancel()` never shuts down a reused fd number.
    func close(socket: Int32) {
        state.withLock { state in
            state.sockets.remove(socket)
            _ = Glibc.close(socket)
        }
    }

    /// Sleeps up to `nanoseconds`, returning early (false) when cancelled.
    func sleep(nanoseconds: UInt64) -> Bool {
        Self.sleep(nanoseconds: nanoseconds, token: self)
    }

    /// Sleeps in short slices so a cancellation is noticed within ~10 ms.
    static func sleep(nanoseconds: UInt64, token: CancellationToken?) -> Bool {
        let start = ContinuousClock.now
        let total = Duration.nanoseconds(Int64(clamping: nanoseconds))
        while true {
            if let token, token.isCancelled { return false }
            let elapsed = ContinuousClock.now - start
            if elapsed >= total { return true }
            let remaining = total - elapsed
            let slice = min(remaining, .milliseconds(10))
            var request = timespec(tv_sec: Int(slice.components.seconds),
                                   tv_nsec: Int(slice.components.attoseconds / 1_000_000_000))
            _ = nanosleep(&request, nil)
        }
    }
}
