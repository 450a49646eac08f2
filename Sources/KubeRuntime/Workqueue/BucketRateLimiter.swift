import KubeCore

/// An overall token bucket shared by all items (client-go's `BucketRateLimiter` over
/// `rate.NewLimiter(qps, burst)`): `qps` tokens per second, at most `burst` saved up. Each
/// `when` reserves a token and returns how long until it is available. It does not track
/// items: `forget` does nothing and `numRequeues` is 0.
public final class BucketRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let qps: Double
    public let burst: Int
    private let clock: any RuntimeClock
    private let bucket: Locked<TokenBucket>

    /// client-go's controller defaults are 10 per second, burst 100. The bucket starts full.
    public init(qps: Double = 10, burst: Int = 100, clock: any RuntimeClock = SystemRuntimeClock()) {
        self.qps = qps
        self.burst = burst
        self.clock = clock
        bucket = Locked(TokenBucket(qps: qps, burst: Double(burst), now: clock.nanoseconds()))
    }

    public func when(_ item: Item) -> Duration {
        let now = clock.nanoseconds()
        return bucket.withLock { $0.reserve(now: now) }
    }

    public func forget(_ item: Item) {}

    public func numRequeues(_ item: Item) -> Int { 0 }

    public var forgetHints: [ItemCountHint]? { [] }
}
