/// One HTTP request as the transport sends it (absolute URL, extra headers, body).
struct HTTPRequest: Sendable {
    var method: String
    /// Path and query relative to the configured host, starting with "/".
    var pathAndQuery: String
    var headers: [HTTPHeaders.Entry] = []
    var body: [UInt8]?
    /// Whole-transfer timeout; nil uses the client's default (none for streams).
    var timeout: Duration?
    /// A streamed (watch) transfer: never uses the per-request default timeout and
    /// runs on its own connection so it can be cancelled promptly.
    var isStream: Bool = false
    /// Runs on a connection of its own whose socket `cancel()` shuts down, so cancelling ends
    /// it at once (streams always do); otherwise a cancellation is seen at curl's next
    /// progress tick, up to a second later, and the connection can be reused.
    var promptCancellation: Bool = false

    /// Safe to resend after a dropped connection: the server may have received it.
    var isIdempotent: Bool {
        switch method {
        case "GET", "HEAD", "OPTIONS", "PUT", "DELETE": return true
        default: return false
        }
    }

    /// Safe to resend after a connection reset mid-request (client-go: GET only).
    var isReadOnly: Bool { method == "GET" || method == "HEAD" }
}
