import KubeCore

/// Sends `APIRequest`s to the API server and maps failures to `KubeError`.
///
/// The one request path under the dynamic client, discovery, typed clients and the C ABI.
/// Synchronous: every call blocks the calling thread; safe to use from any thread.
public final class RESTClient: Sendable {
    /// The configuration this client was built from.
    public let config: RESTConfig
    let transport: Transport

    /// Builds the transport (connection pool, TLS material, credentials) for `config`.
    public init(config: RESTConfig, credentials: CredentialProvider? = nil,
                options: TransportOptions = TransportOptions()) throws(KubeError) {
        self.config = config
        transport = try Transport(config: config, credentials: credentials ?? CredentialProvider(config: config),
                                  options: options)
    }

    /// Stops what could keep a caller waiting on this client: a running exec credential plugin
    /// is killed and later requests fail with `.closed` when they need a new credential.
    /// In-flight transfers are not interrupted (cancel them with their `CancellationToken`).
    public func close() {
        transport.close()
    }

    /// Sends `request`; returns the 2xx response, else throws `.api(Status)` or `.transport`.
    public func send(_ request: APIRequest, cancellation: CancellationToken? = nil) throws(KubeError) -> HTTPResponse {
        let http = try Self.httpRequest(request)
        let response = try transport.perform(http, cancellation: cancellation)
        guard response.isSuccess else {
            throw .api(StatusDecoding.status(for: response, method: request.method, path: request.path))
        }
        return response
    }

    /// Sends `request` and parses the 2xx body as JSON (`.decoding` when it is not JSON).
    public func sendJSON(_ request: APIRequest, cancellation: CancellationToken? = nil) throws(KubeError) -> JSON {
        let response = try send(request, cancellation: cancellation)
        return try Self.parseJSON(response.body, what: "\(request.method) \(request.path)")
    }

    /// Any request by path (for endpoints without an `APIRequest` shape, e.g. `/version`,
    /// `/openapi/v2`, or the C ABI's raw call). `path` starts with "/" and may carry a query.
    /// Throws `.api(Status)` for non-2xx, like `send`.
    ///
    /// With `cancellation`, the request runs on a connection of its own (not reused), so that
    /// cancelling ends it at once even while the server sends nothing (a followed log).
    public func raw(method: String, path: String, body: [UInt8]? = nil, contentType: String? = nil,
                    accept: String? = "application/json", timeout: Duration? = nil,
                    cancellation: CancellationToken? = nil) throws(KubeError) -> HTTPResponse {
        guard path.hasPrefix("/") else { throw .invalidArgument("request path must start with \"/\"") }
        try Self.validateRawPath(path)
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            throw .invalidArgument("HTTP method must be an upper-case word: \(method)")
        }
        var http = HTTPRequest(method: method, pathAndQuery: path, body: body, timeout: timeout)
        http.promptCancellation = cancellation != nil
        if let accept { http.headers.append(.init(name: "Accept", value: accept)) }
        if let contentType { http.headers.append(.init(name: "Content-Type", value: contentType)) }
        let response = try transport.perform(http, cancellation: cancellation)
        guard response.isSuccess else {
            let plainPath = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            throw .api(StatusDecoding.status(for: response, method: method, path: plainPath))
        }
        return response
    }

    /// Streams the 2xx body of `request` to `onData` as it arrives (watch, logs, follow).
    ///
    /// `onData` runs on the calling thread; returning false ends the stream normally, as does
    /// `cancellation.cancel()` once data is flowing. Non-2xx answers throw `.api(Status)`
    /// before any data is delivered. Retries happen only before the first byte.
    public func stream(_ request: APIRequest, cancellation: CancellationToken? = nil,
                       onData: (UnsafeRawBufferPointer) -> Bool) throws(KubeError) {
        try deliver(request, isStream: true, cancellation: cancellation, onData: onData)
    }

    /// Sends `request` like `send` (its timeout, a pooled connection, cancellation as an
    /// error), but hands the 2xx body to `onBody` as it arrives instead of holding it: for
    /// answers too large to hold, such as the informer's first list. Returning false ends the
    /// transfer; non-2xx answers throw `.api(Status)` before any byte is delivered.
    /// The body counts against `ResponseLimits.maxBodyBytes` as a buffered one does.
    public func receive(_ request: APIRequest, cancellation: CancellationToken? = nil,
                        onBody: (UnsafeRawBufferPointer) -> Bool) throws(KubeError) {
        let limit = transport.options.limits.maxBodyBytes
        var received = 0
        var exceeded = false
        try deliver(request, isStream: false, cancellation: cancellation) { chunk in
            received += chunk.count
            if received > limit {
                exceeded = true
                return false
            }
            return onBody(chunk)
        }
        if exceeded {
            throw .transport(TransportError(kind: .protocol,
                                            message: "response body larger than \(limit) bytes (ResponseLimits.maxBodyBytes)"))
        }
    }

    private func deliver(_ request: APIRequest, isStream: Bool, cancellation: CancellationToken?,
                         onData: (UnsafeRawBufferPointer) -> Bool) throws(KubeError) {
        var http = try Self.httpRequest(request)
        http.isStream = isStream
        let token = isStream ? cancellation ?? CancellationToken() : cancellation
        let result: Result<HTTPResponse, KubeError> = withoutActuallyEscaping(onData) { sink in
            do throws(KubeError) {
                return .success(try transport.perform(http, cancellation: token, sink: sink))
            } catch {
                return .failure(error)
            }
        }
        let response = try result.get()
        guard response.isSuccess else {
            throw .api(StatusDecoding.status(for: response, method: request.method, path: request.path))
        }
    }

    /// The one place an `APIRequest` becomes what the transport sends: its path segments are
    /// validated here, and the transport sends the path as is (no dot-segment normalisation).
    static func httpRequest(_ request: APIRequest) throws(KubeError) -> HTTPRequest {
        do {
            try request.validate()
        } catch {
            throw .invalidArgument(error.description)
        }
        var http = HTTPRequest(method: request.method, pathAndQuery: request.pathAndQuery, body: request.body)
        http.headers.append(.init(name: "Accept", value: request.accept ?? "application/json"))
        if request.body != nil {
            http.headers.append(.init(name: "Content-Type", value: request.contentType ?? "application/json"))
        }
        return http
    }

    /// A raw path is sent as is (the transport turns curl's normalisation off), so it must not
    /// hold dot segments that a proxy or the server would collapse, nor bytes that are not
    /// allowed in a request line.
    static func validateRawPath(_ pathAndQuery: String) throws(KubeError) {
        let path = pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) where segment == "." || segment == ".." {
            throw .invalidArgument("request path may not contain '.' or '..' segments")
        }
        for byte in pathAndQuery.utf8 where byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "#") {
            throw .invalidArgument("request path may not contain spaces, control characters or '#'; percent-encode them")
        }
    }

    static func parseJSON(_ body: [UInt8], what: String) throws(KubeError) -> JSON {
        do {
            return try JSON.parse(bytes: body)
        } catch {
            throw .decoding("malformed JSON from the server for \(what): \(error)")
        }
    }
}
