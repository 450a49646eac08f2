/// A token bucket (golang.org/x/time/rate's `Limiter`, which client-go's rate limiters wrap):
/// `qps` tokens are added per second up to `burst`; the bucket starts full.
///
/// A value type with no lock and no clock: the owner keeps it under its own lock and passes
/// the time, read from its injected `RuntimeClock`, so tests step time instead of sleeping.
/// Used by the client's request limiter, the workqueue's `BucketRateLimiter` and the event
/// recorder's per-object spam filter.
public struct TokenBucket: Sendable {
    public let qps: Double
    public let burst: Double
    /// Tokens left; negative while callers are waiting for reserved tokens.
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date (nanoseconds on the owner's clock).
    private var last: UInt64

    public init(qps: Double, burst: Double, now: UInt64) {
        self.qps = qps
        self.burst = burst
        tokens = burst
        last = now
    }

    /// Takes a token now, or reserves the next one: returns how long the caller must wait
    /// for it (zero when it was there). Waits are clamped to `MonotonicClock.maxSeconds`,
    /// so a zero, tiny or NaN `qps` never traps.
    public mutating func reserve(now: UInt64) -> Duration {
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        let seconds = -tokens / qps
        guard seconds.isFinite else { return .seconds(clamping: MonotonicClock.maxSeconds) }
        return .seconds(clamping: seconds)
    }

    /// Takes a token if one is there; otherwise takes nothing and returns false (the
    /// caller drops the work instead of waiting).
    public mutating func take(now: UInt64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Adds what `qps` earned since `last`; time going backwards adds nothing.
    private mutating func refill(now: UInt64) {
        guard now > last else { return }
        let earned = Double(now - last) / 1e9 * qps
        if earned.isFinite { tokens = min(burst, tokens + earned) } else { tokens = burst }
        last = now
    }
}
