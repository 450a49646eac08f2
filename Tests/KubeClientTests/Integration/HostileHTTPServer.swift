import Foundation
import KubeCore

/// A loopback HTTP/1.1 server that answers every request with a fixed head and then streams
/// `filler` until `maxBytes` are sent or the client hangs up: the endless bodies, headers and
/// watch lines that a broken or hostile server can send. It records each request line.
final class HostileHTTPServer: @unchecked Sendable {
    let port: Int
    private let socket: Int32
    private let thread: KubeThread
    private let log = RequestLog()

    var url: String { "http://127.0.0.1:\(port)" }

    /// Request lines received so far ("GET /api/v1/... HTTP/1.1").
    var requestLines: [String] { log.lines.map { $0.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? "" } }

    /// Whole request heads (request line and headers) received so far.
    var requestHeads: [String] { log.lines }

    init(head: String, filler: String, maxBytes: Int = 256 << 20) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else { throw KubeTestStubError() }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        socket = fd
        let headBytes = Array(head.utf8)
        let fillerBytes = Array(String(repeating: filler, count: max(1, 65_536 / max(1, filler.utf8.count))).utf8)
        let log = self.log
        thread = try KubeThread.spawn(name: "hostile-http") {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                var request: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 8192)
                // The head ends at the first blank line; a body may follow in the same read.
                while !request.containsHeadEnd {
                    let count = recv(client, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    request.append(contentsOf: buffer[0..<count])
                }
                log.append(String(decoding: request, as: UTF8.self))
                var sent = headBytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                while sent > 0 && sent < maxBytes {
                    let count = fillerBytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if count <= 0 { break }
                    sent += count
                }
                close(client)
            }
        }
    }

    func stop() {
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        thread.join()
    }
}

/// The request lines a test server saw, shared with its thread.
final class RequestLog: @unchecked Sendable {
    // `storage` is only touched with `lock` held.
    private let lock = ConditionLock()
    private var storage: [String] = []

    func append(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}

/// A server answering every request with 200 `{}`, recording what it was sent.
func RecordingHTTPServer() throws -> HostileHTTPServer {
    try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
                          filler: "", maxBytes: 0)
}

private extension Array where Element == UInt8 {
    var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for start in 0...(count - 4) where self[start] == 0x0D && self[start + 1] == 0x0A
            && self[start + 2] == 0x0D && self[start + 3] == 0x0A {
            return true
        }
        return false
    }
}
