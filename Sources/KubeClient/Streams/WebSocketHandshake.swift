import KubeCore

/// The opening handshake of RFC 6455 §4, client side: the upgrade request the client writes
/// itself (libcurl 7.88 has no ws:// support, so the connection is opened with CONNECT_ONLY)
/// and the checks of the server's answer.
struct WebSocketHandshake {
    /// The random 16-byte nonce, base64-encoded (§4.1).
    let key: String
    /// Offered subprotocols, most preferred first.
    let protocols: [String]

    init(protocols: [String]) {
        var generator = SystemRandomNumberGenerator()
        key = Base64.encode((0..<16).map { _ in UInt8.random(in: 0 ... 255, using: &generator) })
        self.protocols = protocols
    }

    /// The `Sec-WebSocket-Accept` value the server must answer `key` with.
    static func accept(for key: String) -> String {
        Base64.encode(WebSocketSHA1.digest(Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)))
    }

    /// The HTTP/1.1 GET upgrade request; `headerLines` are the transport's (auth, Host,
    /// impersonation, user agent), already checked for line breaks.
    func request(pathAndQuery: String, hostHeader: String, headerLines: [String]) -> [UInt8] {
        var lines = ["GET \(pathAndQuery) HTTP/1.1", "Host: \(hostHeader)"]
        lines.append(contentsOf: headerLines)
        lines.append("Upgrade: websocket")
        lines.append("Connection: Upgrade")
        lines.append("Sec-WebSocket-Key: \(key)")
        lines.append("Sec-WebSocket-Version: 13")
        if !protocols.isEmpty { lines.append("Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// Checks a 101 answer; returns the subprotocol the server picked ("" when none was offered).
    func verify(_ response: HTTPResponseHead) throws(KubeError) -> String {
        func fail(_ message: String) -> KubeError {
            .transport(TransportError(kind: .protocol, message: "WebSocket upgrade: \(message)"))
        }
        guard let upgrade = response.headers["Upgrade"], upgrade.lowercased().trimmingSpaces == "websocket" else {
            throw fail("the server's 101 answer has no \"Upgrade: websocket\" header")
        }
        let connection = response.headers.values(for: "Connection").flatMap { $0.split(separator: ",") }
        guard connection.contains(where: { String($0).lowercased().trimmingSpaces == "upgrade" }) else {
            throw fail("the server's 101 answer has no \"Connection: Upgrade\" header")
        }
        guard let accept = response.headers["Sec-WebSocket-Accept"], String(accept.trimmingSpaces) == Self.accept(for: key) else {
            throw fail("the server's Sec-WebSocket-Accept does not match the key sent (a proxy or server that is not speaking WebSocket)")
        }
        if let extensions = response.headers["Sec-WebSocket-Extensions"], !extensions.trimmingSpaces.isEmpty {
            throw fail("the server enabled extension(s) \"\(extensions)\" that the client did not offer")
        }
        let chosen = response.headers["Sec-WebSocket-Protocol"].map { String($0.trimmingSpaces) } ?? ""
        if protocols.isEmpty { return chosen }
        guard !chosen.isEmpty else {
            throw fail("unsupported protocol version: the server accepted none of the offered subprotocols (\(protocols.joined(separator: ", ")))")
        }
        guard protocols.contains(chosen) else {
            throw fail("unsupported protocol version: the server chose subprotocol \"\(chosen)\", which was not offered (\(protocols.joined(separator: ", ")))")
        }
        return chosen
    }
}

/// A parsed HTTP/1.1 status line and header block.
struct HTTPResponseHead: Sendable {
    var statusCode: Int
    var headers: HTTPHeaders

    /// Parses the bytes before the blank line ("\r\n\r\n" excluded); nil when not HTTP.
    init?(_ bytes: ArraySlice<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).makeIterator()
        guard let statusLine = lines.next(), statusLine.hasPrefix("HTTP/1.") else { return nil }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let code = Int(parts[1]), (100...999).contains(code) else { return nil }
        statusCode = code
        headers = HTTPHeaders()
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(name: String(line[..<colon]),
                           value: String(String(line[line.index(after: colon)...]).trimmingSpaces))
        }
    }
}
