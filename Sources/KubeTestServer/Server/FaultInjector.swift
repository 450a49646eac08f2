import KubeCore

/// A rule making the next matching requests fail.
public struct FailureRule: Sendable, Hashable {
    /// HTTP status to answer: 429, 500, 503 (others are sent as InternalError-style Status bodies).
    public var status: Int
    /// How many matching requests fail.
    public var count: Int
    /// Only requests whose path contains this string match (nil: every API request).
    public var pathContains: String?
    /// Only requests with this HTTP method match (nil: any).
    public var method: String?
    /// Retry-After seconds for 429 and 503.
    public var retryAfterSeconds: Int
    /// Sent verbatim (as text/html) instead of the Status body — with a 2xx status this is
    /// a "successful" answer that is not JSON, as a misbehaving proxy sends.
    public var body: String?

    public init(status: Int, count: Int = 1, pathContains: String? = nil, method: String? = nil, retryAfterSeconds: Int = 1,
                body: String? = nil) {
        self.status = status
        self.count = count
        self.pathContains = pathContains
        self.method = method
        self.retryAfterSeconds = retryAfterSeconds
        self.body = body
    }

    /// The Status body kube-apiserver would send for this code.
    var responseStatus: Status {
        switch status {
        case 429: return .tooManyRequests(retryAfterSeconds: retryAfterSeconds)
        case 503:
            var s = Status.serviceUnavailable()
            s.details = StatusDetails(retryAfterSeconds: retryAfterSeconds)
            return s
        case 504: return Status(code: 504, reason: .timeout, message: "Timeout: request did not complete within the allotted timeout")
        default: return Status(code: status, reason: .internalError, message: "Internal error occurred: injected fault")
        }
    }
}

/// Fault-injection state shared by the HTTP layer and the public API.
final class FaultInjector: Sendable {
    struct State: Sendable {
        var rules: [FailureRule] = []
        var latencyNanos: UInt64 = 0
        var watchesStalled = false
    }

    private let state = Locked(State())

    func addFailure(_ rule: FailureRule) {
        guard rule.count > 0 else { return }
        state.withLock { $0.rules.append(rule) }
    }

    /// Consumes one failure matching the request, if any.
    func takeFailure(method: String, path: String) -> FailureRule? {
        state.withLock { s in
            guard let i = s.rules.firstIndex(where: { rule in
                (rule.pathContains.map { path.contains($0) } ?? true) && (rule.method.map { $0.uppercased() == method } ?? true)
            }) else { return nil }
            let rule = s.rules[i]
            s.rules[i].count -= 1
            if s.rules[i].count <= 0 { s.rules.remove(at: i) }
            return rule
        }
    }

    var latencyNanos: UInt64 {
        get { state.withLock { $0.latencyNanos } }
        set { state.withLock { $0.latencyNanos = newValue } }
    }

    var watchesStalled: Bool {
        get { state.withLock { $0.watchesStalled } }
        set { state.withLock { $0.watchesStalled = newValue } }
    }

    func reset() { state.withLock { $0 = State() } }

    var snapshot: State { state.withLock { $0 } }
}
