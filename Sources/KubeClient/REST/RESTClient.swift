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

    /// Sends `request`; returns the 2xx response, else throws `.api(Status)` or `.transport`.
    public func send(_ request: APIRequest, cancellation: CancellationToken? = nil) throws(KubeError) -> HTTPResponse {
        let http = Self.httpRequest(request)
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
    public func raw(method: String, path: String, body: [UInt8]? = nil, contentType: String? = nil,
                    accept: String? = "application/json", timeout: Duration? = nil,
                    cancellation: CancellationToken? = nil) throws(KubeError) -> HTTPResponse {
        guard path.hasPrefix("/") else { throw .invalidArgument("request path must start with \"/\": \(path)") }
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter && $0.isUppercase }) else {
            throw .invalidArgument("HTTP method must be an upper-case word: \(method)")
        }
        var http = HTTPRequest(method: method, pathAndQuery: path, body: body, timeout: timeout)
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
        var http = Self.httpRequest(request)
        http.isStream = true
        let token = cancellation ?? CancellationToken()
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

    static func httpRequest(_ request: APIRequest) -> HTTPRequest {
        var http = HTTPRequest(method: request.method, pathAndQuery: request.pathAndQuery, body: request.body)
        http.headers.append(.init(name: "Accept", value: request.accept ?? "application/json"))
        if request.body != nil {
            http.headers.append(.init(name: "Content-Type", value: request.contentType ?? "application/json"))
        }
        return http
    }

    static func parseJSON(_ body: [UInt8], what: String) throws(KubeError) -> JSON {
        do {
            return try JSON.parse(bytes: body)
        } catch {
            throw .decoding("malformed JSON from the server for \(what): \(error)")
        }
    }
}
