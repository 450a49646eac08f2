import CCurl
import KubeCore
import Logging

/// The libcurl transport of one client: connection pool, TLS, auth headers, rate limiting,
/// retries, warnings. Thread-safe; every call blocks the calling thread.
///
/// Connections: each pooled curl easy handle keeps its own kept-alive connection(s); the
/// pool is shared by all requests of the client, and DNS and TLS sessions are shared across
/// handles through one curl share handle. HTTP/2 is negotiated by ALPN when the server
/// offers it (`CURL_HTTP_VERSION_2TLS`); each blocking request uses its own stream (no
/// multiplexing of concurrent requests over one connection: that needs curl's multi API).
final class Transport: Sendable {
    let config: RESTConfig
    let credentials: CredentialProvider
    let options: TransportOptions
    let endpoint: ServerEndpoint
    let pool: CurlHandlePool
    let rateLimiter: TokenBucketRateLimiter?
    let userAgent: String
    /// When client-side throttling was last reported (MonotonicClock ns; 0: never).
    private let throttleReported = Locked<UInt64>(0)
    /// A wait for the rate limiter longer than this is reported (client-go logs the same).
    static let throttleReportThreshold: UInt64 = 1_000_000_000

    init(config: RESTConfig, credentials: CredentialProvider, options: TransportOptions) throws(KubeError) {
        self.config = config
        self.credentials = credentials
        self.options = options
        endpoint = try ServerEndpoint(host: config.host, serverName: config.tls.serverName)
        try Self.checkTLSMaterial(config)
        pool = try CurlHandlePool(maxIdle: options.maxIdleConnections)
        // client-go semantics: qps < 0 disables the limiter; 0 means the default (5 / 10).
        if config.qps < 0 {
            rateLimiter = nil
        } else {
            let qps = config.qps == 0 ? RESTConfig.defaultQPS : config.qps
            let burst = config.burst <= 0 ? RESTConfig.defaultBurst : config.burst
            rateLimiter = TokenBucketRateLimiter(qps: qps, burst: burst)
        }
        userAgent = config.effectiveUserAgent
    }

    /// Sends `request`, retrying per the policy, and returns the final response (any status).
    ///
    /// With a `sink`, 2xx body bytes are streamed to it as they arrive (the returned body is
    /// then empty); returning false from the sink ends the transfer normally. Non-2xx bodies
    /// are always buffered so the caller can decode the Status.
    func perform(_ request: HTTPRequest, cancellation: CancellationToken? = nil,
                 sink: ((UnsafeRawBufferPointer) -> Bool)? = nil) throws(KubeError) -> HTTPResponse {
        var request = request
        var cancellation = cancellation
        if cancellation == nil, let bound = CancellationToken.boundToCurrentThread {
            // A thread-bound token is there to interrupt a call that is stuck: it gets a
            // connection of its own, whose socket the cancel can shut down.
            cancellation = bound
            request.promptCancellation = true
        }
        let policy = options.retryPolicy
        var attempt = 0
        var refreshedCredentials = false
        // The wait for a credential (an exec plugin) counts against the request's own timeout.
        let timeout = request.timeout ?? (request.isStream ? nil : config.timeout)
        let deadline = timeout.map { MonotonicClock.nanoseconds() &+ Self.nanoseconds($0) }
        while true {
            let credential = try admit(deadline: deadline, cancellation: cancellation)
            let outcome = try performOnce(request, credential: credential, cancellation: cancellation, sink: sink)
            switch outcome {
            case .failure(let error, let delivered):
                let retryable = !delivered && error.isConnectionReset && request.isReadOnly
                if retryable, attempt < policy.maxRetries {
                    try wait(policy.backoff(attempt: attempt), cancellation: cancellation)
                    attempt += 1
                    continue
                }
                throw .transport(error)
            case .response(let response, let delivered):
                reportWarnings(response.headers)
                if response.statusCode == 401, !refreshedCredentials, !delivered, endpoint.isTLS, credentials.canRefresh {
                    // Tokens rotate and exec credentials expire: fetch a fresh one, retry once.
                    credentials.invalidate()
                    refreshedCredentials = true
                    continue
                }
                if !delivered, attempt < policy.maxRetries, shouldRetry(response, request: request) {
                    let delay = policy.delay(retryAfter: response.headers["Retry-After"], attempt: attempt)
                    try wait(delay, cancellation: cancellation)
                    attempt += 1
                    continue
                }
                return response
            }
        }
    }

    /// Logs a long wait for the client-side rate limiter, at most once a minute, so that a
    /// slow program shows why (client-go: "Waited for ... due to client-side throttling").
    func reportThrottling(waited: UInt64) {
        guard waited > Self.throttleReportThreshold else { return }
        let now = MonotonicClock.nanoseconds()
        let report = throttleReported.withLock { last -> Bool in
            guard last == 0 || now &- last > 60_000_000_000 else { return false }
            last = now
            return true
        }
        guard report else { return }
        let seconds = Double(waited) / 1e9
        let qps = config.qps == 0 ? RESTConfig.defaultQPS : config.qps
        let burst = config.burst <= 0 ? RESTConfig.defaultBurst : config.burst
        options.logger.warning("""
            waited \(Int(seconds * 10) / 10).\(Int(seconds * 10) % 10) s due to client-side throttling \
            (qps \(qps), burst \(burst)); raise them in the client's configuration if this is not intended
            """)
    }

    private func shouldRetry(_ response: HTTPResponse, request: HTTPRequest) -> Bool {
        let code = response.statusCode
        let hasRetryAfter = response.headers["Retry-After"] != nil
        if code == 429 { return true }
        if code >= 500 && code < 600 {
            if hasRetryAfter { return true }
            return request.isIdempotent && (code == 502 || code == 503 || code == 504)
        }
        return false
    }

    private func wait(_ delay: Duration, cancellation: CancellationToken?) throws(KubeError) {
        let parts = delay.components
        let nanos = UInt64(clamping: max(0, parts.seconds) * 1_000_000_000 + max(0, parts.attoseconds) / 1_000_000_000)
        if !CancellationToken.sleep(nanoseconds: nanos, token: cancellation) {
            throw .transport(TransportError(kind: .cancelled, message: "request cancelled while waiting to retry"))
        }
    }

    func reportWarnings(_ headers: HTTPHeaders) {
        for value in headers.values(for: "Warning") {
            for text in WarningHeaderParser.texts(value) where !text.isEmpty {
                options.warningHandler(text)
            }
        }
    }

    private enum Outcome {
        case response(HTTPResponse, delivered: Bool)
        case failure(TransportError, delivered: Bool)
    }

    /// What every attempt (a request, a WebSocket upgrade) goes through first: a cancelled
    /// token ends it, the rate limiter admits it, and the credential to send is fetched (only
    /// over TLS: credentials never go to a plain-HTTP server).
    func admit(deadline: UInt64?, cancellation: CancellationToken?) throws(KubeError) -> Credential {
        if let cancellation, cancellation.isCancelled {
            throw .transport(TransportError(kind: .cancelled, message: "request cancelled"))
        }
        if let rateLimiter {
            let began = MonotonicClock.nanoseconds()
            try rateLimiter.acquire(cancellation: cancellation)
            reportThrottling(waited: MonotonicClock.nanoseconds() &- began)
        }
        return endpoint.isTLS ? try credentials.current(deadline: deadline, cancellation: cancellation) : .none
    }

    private func performOnce(_ request: HTTPRequest, credential: Credential, cancellation: CancellationToken?,
                             sink: ((UnsafeRawBufferPointer) -> Bool)?) throws(KubeError) -> Outcome {
        let easy = try pool.checkOut()
        var keep = true
        defer { if keep { pool.checkIn(easy) } }
        let handle = easy.handle
        let context = TransferContext(sink: sink, cancellation: cancellation, limits: options.limits)

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        var connectToList: UnsafeMutablePointer<curl_slist>? = nil
        defer {
            curl_slist_free_all(headerList)
            curl_slist_free_all(connectToList)
        }
        for line in try headerLines(request, credential: credential) {
            headerList = curl_slist_append(headerList, line)
        }
        // No "Expect: 100-continue" round trip for bodies over 1 KiB.
        headerList = curl_slist_append(headerList, "Expect:")

        connectToList = applyConnectionOptions(handle, pathAndQuery: request.pathAndQuery,
                                               httpVersion: Int(CURL_HTTP_VERSION_2TLS), credential: credential,
                                               context: context)
        if options.compression && !config.disableCompression {
            _ = kc_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        }
        if let timeout = request.timeout ?? (request.isStream ? nil : config.timeout) {
            _ = kc_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Self.milliseconds(timeout)))
        }
        _ = kc_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent)
        _ = kc_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = kc_curl_setopt_write(handle, CurlCallbacks.write)
        _ = kc_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context.opaque)
        _ = kc_curl_setopt_header(handle, CurlCallbacks.header)
        _ = kc_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context.opaque)
        applyCancellation(handle, context: context, dedicatedConnection: request.isStream || request.promptCancellation)
        if case .basic(let user, let password) = credential {
            _ = kc_curl_setopt_long(handle, CURLOPT_HTTPAUTH, 1)  // CURLAUTH_BASIC
            _ = kc_curl_setopt_string(handle, CURLOPT_USERNAME, user)
            _ = kc_curl_setopt_string(handle, CURLOPT_PASSWORD, password)
        }

        let code: CURLcode = withExtendedLifetime(context) {
            Self.withBody(request.body) { body in
                switch request.method {
                case "GET":
                    _ = kc_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
                case "HEAD":
                    _ = kc_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
                case "POST":
                    _ = kc_curl_setopt_long(handle, CURLOPT_POST, 1)
                default:
                    _ = kc_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
                }
                if let body {
                    _ = kc_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    _ = kc_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, body.baseAddress)
                } else if request.method == "POST" {
                    _ = kc_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0)
                    _ = kc_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, Self.emptyBody)
                }
                return curl_easy_perform(handle)
            }
        }
        // The context and its pointers must not outlive this transfer on a pooled handle.
        _ = kc_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)

        if let exceeded = context.exceededLimit {
            keep = false
            return .failure(TransportError(kind: .protocol, message: exceeded), delivered: true)
        }
        if context.stoppedBySink || (code == CURLE_OK) {
            return .response(HTTPResponse(statusCode: context.statusCode, headers: context.headers, body: context.body),
                             delivered: context.delivered)
        }
        if code == CURLE_ABORTED_BY_CALLBACK || (cancellation?.isCancelled == true) {
            if request.isStream, context.delivered {
                // A cancelled stream that was already delivering simply ends.
                return .response(HTTPResponse(statusCode: context.statusCode, headers: context.headers, body: context.body),
                                 delivered: true)
            }
            return .failure(TransportError(kind: .cancelled, message: "request cancelled",
                                           curlCode: Int(CURLE_ABORTED_BY_CALLBACK.rawValue)),
                            delivered: context.delivered)
        }
        // A failed handle may hold a half-dead connection: drop it rather than pool it.
        keep = false
        return .failure(transferError(code, handle: handle, context: context), delivered: context.delivered)
    }

    /// The error of a failed transfer (or WebSocket connect), with TLS failures explained.
    func transferError(_ code: CURLcode, handle: UnsafeMutableRawPointer, context: TransferContext) -> TransportError {
        var error = TransportError.from(curlCode: code, detail: context.errorText)
        if code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CLIENTCERT {
            error.message = "the client certificate or key was not accepted: \(error.message)"
        } else if code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CONNECT_ERROR {
            // OpenSSL sometimes reports a failed chain check as a generic handshake error;
            // the X509 verify result says what really happened.
            var verifyResult = 0
            _ = kc_curl_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verifyResult)
            if verifyResult != 0, !error.message.contains("verif") {
                error.message = "server certificate did not verify (\(Self.x509Reason(verifyResult))): \(error.message)"
            }
        }
        return error
    }

    /// What every connection of this client is made with, whatever speaks over it: the
    /// endpoint (URL, `tls-server-name` through CONNECT_TO), proxy, TLS and client
    /// certificate, connect timeout, keep-alive and the error buffer. `perform` and the
    /// WebSocket upgrade (Streams/WebSocketUpgrade.swift) both build their handle here, so an
    /// upgraded connection reaches the server exactly as a plain request does.
    /// Returns the CONNECT_TO list (or nil), which the caller frees after the transfer.
    func applyConnectionOptions(_ handle: UnsafeMutableRawPointer, pathAndQuery: String, httpVersion: Int,
                                credential: Credential, context: TransferContext) -> UnsafeMutablePointer<curl_slist>? {
        var connectToList: UnsafeMutablePointer<curl_slist>? = nil
        _ = kc_curl_setopt_share(handle, pool.shareHandle)
        _ = kc_curl_setopt_string(handle, CURLOPT_URL, endpoint.baseURL + pathAndQuery)
        // Send the path exactly as validated: curl would otherwise collapse `.`/`..` segments.
        _ = kc_curl_setopt_long(handle, CURLOPT_PATH_AS_IS, 1)
        if let connectTo = endpoint.connectTo {
            connectToList = curl_slist_append(nil, connectTo)
            _ = kc_curl_setopt_slist(handle, CURLOPT_CONNECT_TO, connectToList)
        }
        _ = kc_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = kc_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, httpVersion)
        _ = kc_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = kc_curl_setopt_long(handle, CURLOPT_TCP_KEEPIDLE, 30)
        _ = kc_curl_setopt_long(handle, CURLOPT_TCP_KEEPINTVL, 30)
        _ = kc_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, options.receiveBufferSize)
        _ = kc_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        _ = kc_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(context.errorBuffer))
        if let proxy = config.proxyURL, !proxy.isEmpty {
            _ = kc_curl_setopt_string(handle, CURLOPT_PROXY, proxy)
        }
        applyTLS(handle, credential: credential)
        return connectToList
    }

    /// Wires the transfer's `CancellationToken` (if any) into the handle: curl's progress
    /// callback checks it, and a dedicated connection registers its socket so `cancel()` can
    /// shut it down at once.
    func applyCancellation(_ handle: UnsafeMutableRawPointer, context: TransferContext, dedicatedConnection: Bool) {
        if context.cancellation != nil {
            _ = kc_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
            _ = kc_curl_setopt_xferinfo(handle, CurlCallbacks.progress)
            _ = kc_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context.opaque)
            if dedicatedConnection {
                // A dedicated connection whose socket `cancel()` may shut down: it is never
                // reused, so no other request can be hit, and curl's close goes through us.
                _ = kc_curl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
                _ = kc_curl_setopt_long(handle, CURLOPT_FORBID_REUSE, 1)
                _ = kc_curl_setopt_sockopt(handle, CurlCallbacks.sockopt)
                _ = kc_curl_setopt_pointer(handle, CURLOPT_SOCKOPTDATA, context.opaque)
                _ = kc_curl_setopt_closesocket(handle, CurlCallbacks.closeSocket)
                _ = kc_curl_setopt_pointer(handle, CURLOPT_CLOSESOCKETDATA, context.opaque)
            }
        } else {
            _ = kc_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 1)
        }
    }

    /// Refuses unusable PEM material now, naming it, rather than at every handshake.
    static func checkTLSMaterial(_ config: RESTConfig) throws(KubeError) {
        let tls = config.tls
        if let ca = tls.caData, !ca.isEmpty, let problem = PEMCheck.certificatesProblem(ca) {
            throw .config("the certificate authority (CA) data is not usable: \(problem)")
        }
        let cert = tls.clientCertData ?? []
        let key = tls.clientKeyData ?? []
        if cert.isEmpty != key.isEmpty {
            throw .config(cert.isEmpty ? "a client key was given without a client certificate"
                                       : "a client certificate was given without a client key")
        }
        if !cert.isEmpty, let problem = PEMCheck.certificatesProblem(cert) {
            throw .config("the client certificate is not usable: \(problem)")
        }
        if !key.isEmpty, let problem = PEMCheck.privateKeyProblem(key) {
            throw .config("the client key is not usable: \(problem)")
        }
    }

    /// Names the common OpenSSL X509_V_ERR codes.
    static func x509Reason(_ code: Int) -> String {
        switch code {
        case 2, 20: return "unable to get the issuer certificate: unknown CA"
        case 7: return "certificate signature failure: not signed by the trusted CA"
        case 9: return "certificate not yet valid"
        case 10: return "certificate has expired"
        case 18: return "self-signed certificate"
        case 19: return "self-signed certificate in the chain"
        case 21: return "unable to verify the first certificate"
        case 62: return "host name mismatch"
        default: return "X509 error \(code)"
        }
    }

    private func applyTLS(_ handle: UnsafeMutableRawPointer, credential: Credential) {
        let tls = config.tls
        if let ca = tls.caData, !ca.isEmpty {
            // Trust exactly the configured CA (as client-go does), not the system bundle too.
            _ = kc_curl_setopt_string(handle, CURLOPT_CAINFO, nil)
            _ = kc_curl_setopt_string(handle, CURLOPT_CAPATH, nil)
            Self.setBlob(handle, CURLOPT_CAINFO_BLOB, ca)
        }
        var certPEM = tls.clientCertData
        var keyPEM = tls.clientKeyData
        if case .clientCertificate(let cert, let key) = credential {
            certPEM = cert
            keyPEM = key
        }
        if let certPEM, !certPEM.isEmpty, let keyPEM, !keyPEM.isEmpty {
            _ = kc_curl_setopt_string(handle, CURLOPT_SSLCERTTYPE, "PEM")
            Self.setBlob(handle, CURLOPT_SSLCERT_BLOB, certPEM)
            _ = kc_curl_setopt_string(handle, CURLOPT_SSLKEYTYPE, "PEM")
            Self.setBlob(handle, CURLOPT_SSLKEY_BLOB, keyPEM)
        }
        if tls.insecureSkipTLSVerify {
            _ = kc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            _ = kc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
        } else {
            _ = kc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
            _ = kc_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        }
    }

    /// Every request header line, each value checked: a CR or LF in a token, an impersonation
    /// field, a content type or the user agent would otherwise start a header of its own.
    func headerLines(_ request: HTTPRequest, credential: Credential) throws(KubeError) -> [String] {
        var lines: [String] = []
        for header in request.headers {
            try HeaderValue.check(header.value, what: "the \(header.name) header")
            lines.append("\(header.name): \(header.value)")
        }
        if case .bearer(let token) = credential {
            try HeaderValue.check(token, what: "the bearer token", secret: true)
            lines.append("Authorization: Bearer \(token)")
        }
        if let host = endpoint.hostHeader {
            lines.append("Host: \(host)")
        }
        for (name, value) in impersonationHeaders() {
            try HeaderValue.check(value, what: "the \(name) header")
            lines.append("\(name): \(value)")
        }
        try HeaderValue.check(userAgent, what: "the user agent")
        return lines
    }

    func impersonationHeaders() -> [(String, String)] {
        guard let imp = config.impersonate else { return [] }
        var headers: [(String, String)] = []
        if let user = imp.user, !user.isEmpty { headers.append(("Impersonate-User", user)) }
        if let uid = imp.uid, !uid.isEmpty { headers.append(("Impersonate-Uid", uid)) }
        for group in imp.groups { headers.append(("Impersonate-Group", group)) }
        for key in imp.extra.keys.sorted() {
            for value in imp.extra[key] ?? [] {
                headers.append(("Impersonate-Extra-\(Self.headerKeyEscape(key))", value))
            }
        }
        return headers
    }

    /// Percent-encodes characters not allowed in a header name (as client-go does for extra keys).
    static func headerKeyEscape(_ key: String) -> String {
        var out = ""
        for byte in key.utf8 {
            let char = Character(Unicode.Scalar(byte))
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$&'*+-.^_`|~".contains(char) {
                out.append(char)
            } else {
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    private static func setBlob(_ handle: UnsafeMutableRawPointer, _ option: CURLoption, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var blob = curl_blob(data: UnsafeMutableRawPointer(mutating: raw.baseAddress), len: raw.count,
                                 flags: UInt32(CURL_BLOB_COPY))
            _ = kc_curl_setopt_blob(handle, option, &blob)
        }
    }

    // A never-freed, never-written 1-byte buffer: a valid non-NULL POSTFIELDS for empty bodies.
    nonisolated(unsafe) private static let emptyBody: UnsafeMutableRawPointer = {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        pointer.storeBytes(of: 0, as: UInt8.self)
        return pointer
    }()

    private static func withBody<R>(_ body: [UInt8]?, _ run: (UnsafeMutableRawBufferPointer?) -> R) -> R {
        guard var body else { return run(nil) }
        if body.isEmpty {
            return run(UnsafeMutableRawBufferPointer(start: emptyBody, count: 0))
        }
        return body.withUnsafeMutableBytes { run($0) }
    }

    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        guard parts.seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(parts.seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ UInt64(max(0, parts.attoseconds) / 1_000_000_000)
    }

    /// Kills a running exec plugin and fails later requests' credential lookups (`close()`).
    func close() {
        credentials.close()
    }

    /// Whole milliseconds, saturating: a caller's `Duration` may be anything.
    static func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        let (whole, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return parts.seconds < 0 ? Int.min : Int.max }
        let (sum, overflow2) = whole.addingReportingOverflow(parts.attoseconds / 1_000_000_000_000_000)
        return overflow2 ? Int.max : Int(clamping: sum)
    }
}
