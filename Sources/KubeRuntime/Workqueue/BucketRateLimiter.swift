import Synchronization

/// An overall token bucket shared by all items (client-go's `BucketRateLimiter` over
/// `rate.NewLimiter(qps, burst)`): `qps` tokens per second, at most `burst` saved up. Each
/// `when` reserves a token and returns how long until it is available. It does not track
/// items: `forget` does nothing and `numRequeues` is 0.
public final class BucketRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let qps: Double
    public let burst: Int
    private let clock: any RuntimeClock
    private struct Bucket {
        var tokens: Double
        var last: UInt64
    }
    private let bucket: Mutex<Bucket>

    /// client-go's controller defaults are 10 per second, burst 100. The bucket starts full.
    public init(qps: Double = 10, burst: Int = 100, clock: any RuntimeClock = SystemRuntimeClock()) {
        self.qps = qps
        self.burst = burst
        self.clock = clock
        bucket = Mutex(Bucket(tokens: Double(burst), last: clock.nanoseconds()))
    }

    public func when(_ item: Item) -> Duration {
        let now = clock.nanoseconds()
        let qps = qps
        let burst = Double(burst)
        let wait: Double = bucket.withLock { b in
            if now > b.last {
                b.tokens = min(burst, b.tokens + Double(now - b.last) / 1e9 * qps)
                b.last = now
            }
            b.tokens -= 1
            if b.tokens >= 0 { return 0 }
            guard qps > 0 else { return 9e9 }
            return -b.tokens / qps
        }
        return .seconds(clamping: wait)
    }

    public func forget(_ item: Item) {}

    public func numRequeues(_ item: Item) -> Int { 0 }

    public var forgetHints: [ItemCountHint]? { [] }
}
