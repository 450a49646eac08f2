import CCurl
import KubeCore

/// Opening a WebSocket through the client's transport.
///
/// libcurl 7.88 cannot speak ws://, so the connection is made with CURLOPT_CONNECT_ONLY on a
/// handle configured by `Transport.applyConnectionOptions` — the very function every plain
/// request goes through, so TLS, CA, client certificates, tls-server-name, proxy (tunnelled
/// with CONNECT) and timeouts are the same — and forced to HTTP/1.1 (an HTTP/2 connection
/// cannot be upgraded). The GET upgrade request is then written by hand with the transport's
/// header lines (bearer or basic credentials only over TLS, impersonation, user agent).
extension Transport {
    /// The largest frame payload the client accepts (issue 18: 32 MiB).
    static let webSocketMaxMessageSize = WebSocketFrameDecoder.defaultMaxMessageSize

    /// Upgrades `pathAndQuery` (with query) to a WebSocket speaking one of `protocols`.
    /// A refused upgrade throws the server's Status (`.api`), like any other request; a 401
    /// is retried once with a refreshed credential when the provider can refresh.
    ///
    /// `cancellation` (or, without one, the token bound to the calling thread, as for every
    /// request) governs the connection for its whole life: cancelling it ends the upgrade or
    /// the session at once.
    func openWebSocket(pathAndQuery: String, protocols: [String], cancellation: CancellationToken?)
        throws(KubeError) -> WebSocketConnection {
        let cancellation = cancellation ?? CancellationToken.boundToCurrentThread
        var refreshedCredentials = false
        while true {
            let credential = try admit(deadline: nil, cancellation: cancellation)
            switch try upgradeOnce(pathAndQuery: pathAndQuery, protocols: protocols, credential: credential,
                                   cancellation: cancellation) {
            case .upgraded(let connection):
                return connection
            case .refused(let response):
                reportWarnings(response.headers)
                if response.statusCode == 401, !refreshedCredentials, endpoint.isTLS, credentials.canRefresh {
                    credentials.invalidate()
                    refreshedCredentials = true
                    continue
                }
                let path = pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? pathAndQuery
                throw .api(StatusDecoding.status(for: response, method: "GET", path: path))
            }
        }
    }

    private enum UpgradeOutcome {
        case upgraded(WebSocketConnection)
        case refused(HTTPResponse)
    }

    private func upgradeOnce(pathAndQuery: String, protocols: [String], credential: Credential,
                             cancellation: CancellationToken?) throws(KubeError) -> UpgradeOutcome {
        let easy = try CurlEasy(share: pool.share)
        let handle = easy.handle
        // The caller's token reaches curl's progress callback while connecting. No socket
        // callbacks: curl opens and closes the socket itself (closing only in
        // curl_easy_cleanup, when the connection is released), and the connection's waits
        // watch the token instead (WebSocketConnection.waitForSocket).
        let context = TransferContext(sink: nil, cancellation: cancellation, limits: options.limits)
        let connectTo = applyConnectionOptions(handle, pathAndQuery: pathAndQuery,
                                               httpVersion: Int(CURL_HTTP_VERSION_1_1), credential: credential,
                                               context: context)
        defer { curl_slist_free_all(connectTo) }
        applyCancellation(handle, context: context, dedicatedConnection: false)
        _ = kc_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
        _ = kc_curl_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1)
        // Through a proxy the upgrade must be tunnelled: a plain HTTP proxy would not pass it on.
        _ = kc_curl_setopt_long(handle, CURLOPT_HTTPPROXYTUNNEL, 1)
        // Streams move MB/s through this connection: fewer, larger socket reads under TLS.
        if endpoint.isTLS { WebSocketTLSReadAhead.apply(to: handle) }

        let code = withExtendedLifetime(context) { curl_easy_perform(handle) }
        // Nothing of `context` may be reached by curl after this.
        _ = kc_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        _ = kc_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 1)
        _ = kc_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, nil)
        if code != CURLE_OK {
            if code == CURLE_ABORTED_BY_CALLBACK || cancellation?.isCancelled == true {
                throw .transport(TransportError(kind: .cancelled, message: "request cancelled",
                                                curlCode: Int(CURLE_ABORTED_BY_CALLBACK.rawValue)))
            }
            throw .transport(transferError(code, handle: handle, context: context))
        }
        var socket = curl_socket_t(-1)
        guard kc_curl_getinfo_socket(handle, &socket) == CURLE_OK, socket >= 0 else {
            throw .transport(TransportError(kind: .other, message: "libcurl did not expose the WebSocket's socket"))
        }
        let connection = WebSocketConnection(easy: easy, socket: socket,
                                             maxMessageSize: Self.webSocketMaxMessageSize, cancellation: cancellation)
        let handshake = WebSocketHandshake(protocols: protocols)
        var lines = try headerLines(HTTPRequest(method: "GET", pathAndQuery: pathAndQuery), credential: credential)
        lines.append("User-Agent: \(userAgent)")
        if case .basic(let user, let password) = credential {
            try HeaderValue.check(user, what: "the basic-auth user name", secret: true)
            try HeaderValue.check(password, what: "the basic-auth password", secret: true)
            lines.append("Authorization: Basic \(Base64.encode(Array("\(user):\(password)".utf8)))")
        }
        let target = Self.requestTarget(baseURL: endpoint.baseURL)
        let hostLine = endpoint.hostHeader ?? target.authority
        lines.removeAll { $0.lowercased().hasPrefix("host:") }
        let deadline = MonotonicClock.nanoseconds() &+ Self.nanoseconds(options.connectTimeout)
        try connection.writeRaw(handshake.request(pathAndQuery: target.path + pathAndQuery, hostHeader: hostLine,
                                                  headerLines: lines), deadline: deadline)
        let (head, rest) = try readResponseHead(connection, deadline: deadline)
        if head.statusCode != 101 {
            let body = try readErrorBody(connection, head: head, already: rest, deadline: deadline)
            connection.shutdown()
            return .refused(HTTPResponse(statusCode: head.statusCode, headers: head.headers, body: body))
        }
        do {
            let chosen = try handshake.verify(head)
            connection.upgraded(subprotocol: chosen, leftover: rest)
        } catch {
            connection.shutdown()
            throw error
        }
        return .upgraded(connection)
    }

    /// Scheme-less pieces of the base URL: the authority (for Host) and the path prefix.
    static func requestTarget(baseURL: String) -> (authority: String, path: String) {
        let parts = baseURL.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        let afterScheme = parts.count == 2 ? String(parts[1]) : baseURL
        if let slash = afterScheme.firstIndex(of: "/") {
            return (String(afterScheme[..<slash]), String(afterScheme[slash...]))
        }
        return (afterScheme, "")
    }

    /// Reads up to the blank line ending the answer's header block.
    private func readResponseHead(_ connection: WebSocketConnection, deadline: UInt64)
        throws(KubeError) -> (HTTPResponseHead, ArraySlice<UInt8>) {
        var received: [UInt8] = []
        let terminator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = Self.find(terminator, in: received) {
                guard let head = HTTPResponseHead(received[..<end]) else {
                    throw .transport(TransportError(kind: .protocol, message: "WebSocket upgrade: the server's answer is not HTTP/1.1"))
                }
                if head.statusCode == 100 {  // an interim answer: the real one follows
                    received.removeSubrange(0..<(end + 4))
                    continue
                }
                return (head, received[(end + 4)...])
            }
            if received.count > options.limits.maxHeaderBytes {
                throw .transport(TransportError(kind: .protocol, message: "WebSocket upgrade: response headers larger than \(options.limits.maxHeaderBytes) bytes (ResponseLimits.maxHeaderBytes)"))
            }
            let chunk = try connection.readChunk(deadline: deadline)
            if chunk.isEmpty {
                throw .transport(TransportError(kind: .connect, message: "WebSocket upgrade: the server closed the connection before answering"))
            }
            received.append(contentsOf: chunk)
        }
    }

    /// The body of a refused upgrade (to decode its Status): Content-Length, chunked, or up
    /// to the end of the connection; at most `maxErrorBodyBytes`.
    private func readErrorBody(_ connection: WebSocketConnection, head: HTTPResponseHead, already: ArraySlice<UInt8>,
                               deadline: UInt64) throws(KubeError) -> [UInt8] {
        let limit = options.limits.maxErrorBodyBytes
        let chunked = head.headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true
        let length = head.headers["Content-Length"].flatMap { Int($0.trimmingSpaces) }
        var received = Array(already)
        while true {
            if let length, received.count >= length { return Array(received.prefix(length)) }
            if chunked, let body = Self.dechunk(received) { return body }
            if received.count > limit + 64 { return Array(received.prefix(limit)) }
            var chunk: [UInt8] = []
            do {
                chunk = try connection.readChunk(deadline: deadline)
            } catch {
                if error.isCancelled { throw error }
                // The Status matters more than a body cut short: decode what came.
            }
            if chunk.isEmpty { return chunked ? (Self.dechunk(received) ?? []) : received }
            received.append(contentsOf: chunk)
        }
    }

    /// The decoded body once the whole chunked encoding (up to the last chunk) is there.
    static func dechunk(_ bytes: [UInt8]) -> [UInt8]? {
        var body: [UInt8] = []
        var index = 0
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: index) else { return nil }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { String($0).trimmingSpaces } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return body }
            if size == 0 { return body }
            let start = lineEnd + 2
            guard bytes.count >= start + size + 2 else { return nil }
            body.append(contentsOf: bytes[start..<(start + size)])
            index = start + size + 2
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
