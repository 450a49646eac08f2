import Glibc

/// The local TCP listening socket of a `PortForwarder`, plus a wake pipe so that `stop`
/// ends a blocked accept at once. Descriptors are close-on-exec.
///
/// `@unchecked Sendable`: the descriptors are fixed at init and closed once, in `closeAll`,
/// after the accept loop has been joined.
final class PortForwardListener: @unchecked Sendable {
    let socket: Int32
    let port: UInt16
    private let wakeRead: Int32
    private let wakeWrite: Int32

    init(address: String, port: UInt16) throws(KubeError) {
        let host = address == "localhost" ? "127.0.0.1" : address
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        let family: Int32
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            family = AF_INET
        } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            family = AF_INET6
        } else {
            throw .invalidArgument("port-forward address \"\(address)\" is not an IPv4 or IPv6 address")
        }
        let fd = Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Self.error("socket", address: address, port: port) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if family == AF_INET {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            bound = withUnsafePointer(to: &v4) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        } else {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            bound = withUnsafePointer(to: &v6) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let failure = Self.error("bind", address: address, port: port)
            _ = Glibc.close(fd)
            throw failure
        }
        var storage = sockaddr_in6()
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // sin_port and sin6_port sit at the same offset.
        let actual = named == 0 ? UInt16(bigEndian: storage.sin6_port) : port
        var pipeEnds: [Int32] = [-1, -1]
        // pipe2/accept4 are not visible to Swift without _GNU_SOURCE: set the flags after.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        guard pipe(&pipeEnds) == 0 else {
            let failure = Self.error("pipe", address: address, port: port)
            _ = Glibc.close(fd)
            throw failure
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        socket = fd
        self.port = actual
        wakeRead = pipeEnds[0]
        wakeWrite = pipeEnds[1]
    }

    /// Waits for a connection; nil once `wake()` was called. Accepted sockets are blocking
    /// (Linux does not pass O_NONBLOCK on) and close-on-exec.
    func accept() -> Int32? {
        while true {
            var descriptors = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                               pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if descriptors[1].revents != 0 { return nil }
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                let client = Glibc.accept(socket, nil, nil)
                if client >= 0 {
                    _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                    return client
                }
                if errno == EINTR || errno == EAGAIN || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                    continue
                }
                return nil
            }
        }
    }

    /// Makes a blocked and every later `accept()` return nil.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Closes the listener; call once, after the accept loop returned.
    func closeAll() {
        _ = Glibc.close(socket)
        _ = Glibc.close(wakeRead)
        _ = Glibc.close(wakeWrite)
    }

    private static func error(_ call: String, address: String, port: UInt16) -> KubeError {
        let code = errno
        let text = String(cString: strerror(code))
        return .transport(TransportError(kind: .connect, message: "cannot listen on \(address):\(port): \(call): \(text)"))
    }
}
