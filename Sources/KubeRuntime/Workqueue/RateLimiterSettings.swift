/// A workqueue rate limiter described by plain values, as the C and Python APIs pass it:
/// a kind plus the parameters that kind uses. A nil parameter takes client-go's default,
/// which lives here and nowhere else.
public struct RateLimiterSettings: Sendable {
    /// Which limiter (client-go's names).
    public enum Kind: Sendable {
        /// `DefaultControllerRateLimiter`: the larger of per-key exponential backoff and an
        /// overall token bucket.
        case controllerDefault
        /// Per-key exponential backoff only.
        case exponential
        /// Per-key: a fast delay for the first failures, then a slow one.
        case fastSlow
        /// An overall token bucket only; keys are not tracked.
        case bucket
    }

    public static let defaultBaseDelay: Duration = .milliseconds(5)
    public static let defaultMaxDelay: Duration = .seconds(1000)
    public static let defaultQPS: Double = 10
    public static let defaultBurst = 100
    public static let defaultFastDelay: Duration = .milliseconds(5)
    public static let defaultSlowDelay: Duration = .seconds(10)
    public static let defaultMaxFastAttempts = 5

    public var kind: Kind
    public var baseDelay: Duration?
    public var maxDelay: Duration?
    public var qps: Double?
    public var burst: Int?
    public var fastDelay: Duration?
    public var slowDelay: Duration?
    public var maxFastAttempts: Int?

    public init(kind: Kind = .controllerDefault, baseDelay: Duration? = nil, maxDelay: Duration? = nil,
                qps: Double? = nil, burst: Int? = nil, fastDelay: Duration? = nil, slowDelay: Duration? = nil,
                maxFastAttempts: Int? = nil) {
        self.kind = kind
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.qps = qps
        self.burst = burst
        self.fastDelay = fastDelay
        self.slowDelay = slowDelay
        self.maxFastAttempts = maxFastAttempts
    }

    /// The limiter these settings describe.
    public func makeLimiter<Item: Hashable & Sendable>() -> any ItemRateLimiter<Item> {
        let base = baseDelay ?? Self.defaultBaseDelay
        let cap = maxDelay ?? Self.defaultMaxDelay
        let qps = qps ?? Self.defaultQPS
        let burst = burst ?? Self.defaultBurst
        switch kind {
        case .controllerDefault:
            return MaxOfRateLimiter<Item>([ExponentialFailureRateLimiter(baseDelay: base, maxDelay: cap),
                                           BucketRateLimiter(qps: qps, burst: burst)])
        case .exponential:
            return ExponentialFailureRateLimiter<Item>(baseDelay: base, maxDelay: cap)
        case .fastSlow:
            return FastSlowRateLimiter<Item>(fastDelay: fastDelay ?? Self.defaultFastDelay,
                                             slowDelay: slowDelay ?? Self.defaultSlowDelay,
                                             maxFastAttempts: maxFastAttempts ?? Self.defaultMaxFastAttempts)
        case .bucket:
            return BucketRateLimiter<Item>(qps: qps, burst: burst)
        }
    }
}
