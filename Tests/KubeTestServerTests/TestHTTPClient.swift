import Foundation
import KubeCore

/// A minimal blocking HTTP/1.1 client over POSIX sockets, for plain-HTTP test servers.
/// One connection per request (`Connection: close`); chunked bodies are decoded.
struct TestHTTPClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var json: JSON? { try? JSON.parse(bytes: body) }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    var token: String?

    func request(_ method: String, _ path: String, body: [UInt8]? = nil, contentType: String = "application/json",
                 headers: [String: String] = [:]) throws -> Response {
        let connection = try Connection(port: port)
        defer { connection.close() }
        try connection.send(method: method, path: path, token: token, body: body, contentType: contentType, headers: headers)
        let (status, responseHeaders) = try connection.readHead()
        var out: [UInt8] = []
        if responseHeaders["transfer-encoding"]?.lowercased() == "chunked" {
            while let chunk = try connection.readChunk() { out += chunk }
        } else if let length = responseHeaders["content-length"].flatMap(Int.init) {
            out = try connection.readExactly(length)
        }
        return Response(status: status, headers: responseHeaders, body: out)
    }

    func get(_ path: String) throws -> Response { try request("GET", path) }
    func post(_ path: String, _ json: JSON) throws -> Response { try request("POST", path, body: json.serializedBytes()) }
    func put(_ path: String, _ json: JSON) throws -> Response { try request("PUT", path, body: json.serializedBytes()) }
    func delete(_ path: String, _ json: JSON? = nil) throws -> Response { try request("DELETE", path, body: json?.serializedBytes()) }
    func patch(_ path: String, _ type: PatchType, _ body: String, query: String = "") throws -> Response {
        try request("PATCH", path + query, body: Array(body.utf8), contentType: type.rawValue)
    }

    /// Opens a watch and returns a reader of its events.
    func watch(_ path: String, headers: [String: String] = [:]) throws -> WatchReader {
        let connection = try Connection(port: port)
        try connection.send(method: "GET", path: path, token: token, body: nil, contentType: "application/json", headers: headers)
        let (status, headers) = try connection.readHead()
        guard status == 200, headers["transfer-encoding"]?.lowercased() == "chunked" else {
            connection.close()
            throw Failure(description: "watch answered \(status)")
        }
        return WatchReader(connection: connection)
    }
}

/// Reads newline-delimited watch events from a chunked response.
final class WatchReader: @unchecked Sendable {  // used from one test thread at a time
    let connection: TestHTTPClient.Connection
    private var pending: [UInt8] = []
    private(set) var ended = false

    init(connection: TestHTTPClient.Connection) { self.connection = connection }

    /// The next event, or nil when the stream ended or `timeout` passed.
    func next(timeout: Double = 5) throws -> JSON? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let nl = pending.firstIndex(of: 10) {
                let line = Array(pending[..<nl])
                pending.removeFirst(nl + 1)
                return try JSON.parse(bytes: line)
            }
            if ended { return nil }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return nil }
            guard try connection.waitReadable(seconds: remaining) else { return nil }
            if let chunk = try connection.readChunk() { pending += chunk } else { ended = true }
        }
    }

    /// Counts events until `count` arrived or the timeout passed (no JSON parsing).
    func countLines(_ count: Int, timeout: Double) throws -> Int {
        var seen = 0
        let deadline = Date().addingTimeInterval(timeout)
        while seen < count {
            if let chunk = try connection.readChunkIfReady(deadline: deadline) {
                for b in chunk where b == 10 { seen += 1 }
            } else {
                break
            }
        }
        return seen
    }

    func close() { connection.close() }
}

extension TestHTTPClient {
    /// A blocking loopback TCP connection with a small read buffer.
    final class Connection: @unchecked Sendable {  // owned by one thread at a time
        private let fd: Int32
        private var buffer: [UInt8] = []
        private var closed = false

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket failed") }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else {
                Foundation.close(fd)
                throw Failure(description: "connect failed")
            }
        }

        func close() {
            if !closed {
                closed = true
                Foundation.close(fd)
            }
        }

        deinit { close() }

        func send(method: String, path: String, token: String?, body: [UInt8]?, contentType: String, headers: [String: String]) throws {
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            if headers["Accept"] == nil { head += "Accept: application/json\r\n" }
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            for (k, v) in headers { head += "\(k): \(v)\r\n" }
            if let body {
                head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
            }
            head += "\r\n"
            var bytes = Array(head.utf8)
            if let body { bytes += body }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw Failure(description: "send failed") }
                offset += n
            }
        }

        /// Reads more bytes into the buffer; false at EOF.
        private func fill() throws -> Bool {
            var chunk = [UInt8](repeating: 0, count: 256 * 1024)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { throw Failure(description: "recv failed: \(errno)") }
            if n == 0 { return false }
            buffer += chunk[..<n]
            return true
        }

        func waitReadable(seconds: Double) throws -> Bool {
            if !buffer.isEmpty { return true }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let rc = poll(&p, 1, Int32(max(1, seconds * 1000)))
            return rc > 0
        }

        private func readLine() throws -> String {
            while true {
                if let i = buffer.firstIndex(of: 10) {
                    var line = Array(buffer[..<i])
                    buffer.removeFirst(i + 1)
                    if line.last == 13 { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard try fill() else { throw Failure(description: "connection closed") }
            }
        }

        func readExactly(_ n: Int) throws -> [UInt8] {
            while buffer.count < n {
                guard try fill() else { throw Failure(description: "connection closed early") }
            }
            let out = Array(buffer[..<n])
            buffer.removeFirst(n)
            return out
        }

        func readHead() throws -> (Int, [String: String]) {
            let statusLine = try readLine()
            let parts = statusLine.split(separator: " ")
            guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "bad status line \(statusLine)") }
            var headers: [String: String] = [:]
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                if let colon = line.firstIndex(of: ":") {
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
            }
            return (status, headers)
        }

        /// One chunk of a chunked body; nil at the terminating chunk or EOF.
        func readChunk() throws -> [UInt8]? {
            let sizeLine: String
            do { sizeLine = try readLine() } catch { return nil }
            guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { return nil }
            if size == 0 { return nil }
            let data = try readExactly(size)
            _ = try readLine()
            return data
        }

        func readChunkIfReady(deadline: Date) throws -> [UInt8]? {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, try waitReadable(seconds: remaining) else { return nil }
            return try readChunk()
        }
    }
}
