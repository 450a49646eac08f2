#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pollable descriptor of a pull-mode stream: a non-blocking pipe whose read end holds a
/// byte exactly while the stream has something for `kc_stream_read` (bytes or the end), as
/// the informer registration's pipe does. The owner calls `signal`/`drain` under its lock.
struct StreamSignalPipe: Sendable {
    let readFD: Int32
    let writeFD: Int32

    init() throws(CABIError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .internalError("could not create a pipe (errno \(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// Makes the read end readable (one byte is enough; a full pipe already is).
    func signal() {
        var one: UInt8 = 1
        _ = write(writeFD, &one, 1)
    }

    /// Empties the pipe: the read end stops polling readable.
    func drain() {
        var scratch = (UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { read(readFD, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Closes both ends; only once no poller may use the descriptor (the handle's end).
    func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }
}
