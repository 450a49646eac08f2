import KubeCore

/// Every failure the client reports.
///
/// - `api`: the server answered with a non-2xx status; the value is its `Status`
///   (decoded from the body, or synthesized from the HTTP code when the body was not a Status).
/// - `transport`: the request never got a complete HTTP answer (DNS, connect, TLS, timeout, cancelled…).
/// - `config`: the kubeconfig / in-cluster configuration or credentials could not be used.
/// - `invalidArgument`: the caller passed something the client cannot send.
/// - `decoding`: the server's answer (or a manifest) was not the JSON/YAML expected.
/// - `closed`: the client, stream or watch was already closed or cancelled.
/// - `system`: the operating system refused a resource the library needs (a thread, a pipe):
///   not the caller's mistake, so never `invalidArgument` (the C API reports KC_ERR_INTERNAL).
///
/// Messages never contain secrets (tokens, keys, passwords).
public enum KubeError: Error, Sendable, CustomStringConvertible {
    case api(Status)
    case transport(TransportError)
    case config(String)
    case invalidArgument(String)
    case decoding(String)
    case closed(String)
    case system(String)

    /// One-line human description, without secrets.
    public var description: String {
        switch self {
        case .api(let status):
            let reason = status.reason.rawValue.isEmpty ? "" : " \(status.reason.rawValue)"
            return status.message.isEmpty ? "HTTP \(status.code)\(reason)" : "\(status.message) (HTTP \(status.code)\(reason))"
        case .transport(let error): return error.description
        case .config(let message): return "configuration: \(message)"
        case .invalidArgument(let message): return "invalid argument: \(message)"
        case .decoding(let message): return "decoding: \(message)"
        case .closed(let message): return "closed: \(message)"
        case .system(let message): return "system: \(message)"
        }
    }

    /// The server's Status when this is an API error.
    public var status: Status? {
        if case .api(let status) = self { return status }
        return nil
    }

    /// HTTP status code of an API error, else nil.
    public var httpCode: Int? { status?.code }

    /// The Status reason of an API error, else nil.
    public var reason: StatusReason? { status?.reason }

    private func api(code: Int, reasons: [StatusReason]) -> Bool {
        guard let status else { return false }
        if reasons.contains(status.reason) { return true }
        // A Status without a (known) reason is classified by its code, as apimachinery does.
        return (status.reason == .unknown || status.reason.rawValue.isEmpty) && status.code == code
    }

    /// 404 / NotFound.
    public var isNotFound: Bool { api(code: 404, reasons: [.notFound]) }
    /// 409 / AlreadyExists.
    public var isAlreadyExists: Bool { api(code: 409, reasons: [.alreadyExists]) }
    /// 409 / Conflict (an update lost an optimistic-concurrency race).
    public var isConflict: Bool { api(code: 409, reasons: [.conflict]) }
    /// 410 Gone, or reason Gone / Expired (a resourceVersion too old for a list or watch).
    public var isGone: Bool {
        guard let status else { return false }
        return status.code == 410 || status.reason == .gone || status.reason == .expired
    }
    /// 422 / Invalid.
    public var isInvalid: Bool { api(code: 422, reasons: [.invalid]) }
    /// 403 / Forbidden.
    public var isForbidden: Bool { api(code: 403, reasons: [.forbidden]) }
    /// 401 / Unauthorized.
    public var isUnauthorized: Bool { api(code: 401, reasons: [.unauthorized]) }
    /// 429 / TooManyRequests.
    public var isTooManyRequests: Bool { api(code: 429, reasons: [.tooManyRequests]) }
    /// Server-side timeouts (reason Timeout / ServerTimeout, 504) or a client-side transport timeout.
    public var isTimeout: Bool {
        if case .transport(let error) = self { return error.kind == .timeout }
        guard let status else { return false }
        return status.reason == .timeout || status.reason == .serverTimeout || status.code == 504
    }
    /// The request was cancelled by the caller (transport cancelled, or a closed stream).
    public var isCancelled: Bool {
        switch self {
        case .transport(let error): return error.kind == .cancelled
        case .closed: return true
        default: return false
        }
    }
}

/// A failure below HTTP: the request got no complete answer.
public struct TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: String, Sendable, Hashable {
        /// The host name did not resolve.
        case dns
        /// No connection could be made, or it was reset before the answer was complete.
        case connect
        /// TLS handshake or certificate verification failed.
        case tls
        /// The request or connection timed out on the client side.
        case timeout
        /// The caller cancelled the request.
        case cancelled
        /// The server spoke something that was not valid HTTP (or a broken HTTP/2 stream, bad encoding).
        case `protocol`
        /// Anything else.
        case other
    }

    /// The coarse category.
    public var kind: Kind
    /// One-line description (curl's error text where available; never secrets).
    public var message: String
    /// The libcurl `CURLcode` when the error came from curl, else nil.
    public var curlCode: Int?

    public init(kind: Kind, message: String, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
    }

    public var description: String { "\(kind.rawValue) error: \(message)" }
}
