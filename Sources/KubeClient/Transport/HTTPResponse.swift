/// A complete HTTP answer from the API server.
///
/// For streamed transfers (watch, `stream`) `body` is empty when the status is 2xx: the
/// bytes went to the caller's sink as they arrived.
public struct HTTPResponse: Sendable {
    /// HTTP status code (200, 404, …).
    public var statusCode: Int
    /// Response headers of the final response.
    public var headers: HTTPHeaders
    /// The response body (after content decoding, e.g. gzip).
    public var body: [UInt8]

    public init(statusCode: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// 2xx.
    public var isSuccess: Bool { (200..<300).contains(statusCode) }
}
