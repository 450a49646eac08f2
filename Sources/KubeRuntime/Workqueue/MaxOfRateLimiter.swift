import KubeCore

/// Combines rate limiters (client-go's `MaxOfRateLimiter`): waits the longest of their delays.
/// Every limiter sees every `when` and `forget`; `numRequeues` is the largest count.
public final class MaxOfRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let limiters: [any ItemRateLimiter<Item>]
    /// Each limiter's `forget`, bound once: opening a constrained existential costs a runtime
    /// metadata lookup, and `forget` runs after every successful item.
    private let forgetters: [@Sendable (Item) -> Void]

    public init(_ limiters: [any ItemRateLimiter<Item>]) {
        self.limiters = limiters
        forgetters = limiters.compactMap { Self.bindForget($0) }
    }

    private static func bindForget<L: ItemRateLimiter<Item>>(_ limiter: L) -> (@Sendable (Item) -> Void)? {
        if limiter is BucketRateLimiter<Item> { return nil }  // tracks no items
        return { limiter.forget($0) }
    }

    public func when(_ item: Item) -> Duration {
        var longest = Duration.zero
        for limiter in limiters {
            longest = max(longest, limiter.when(item))
        }
        return longest
    }

    public func forget(_ item: Item) {
        for forget in forgetters { forget(item) }
    }

    public func numRequeues(_ item: Item) -> Int {
        limiters.reduce(0) { max($0, $1.numRequeues(item)) }
    }

    /// Every limiter's hints, or nil when one of them cannot tell.
    public var forgetHints: [ItemCountHint]? {
        var all: [ItemCountHint] = []
        for limiter in limiters {
            guard let hints = limiter.forgetHints else { return nil }
            all += hints
        }
        return all
    }
}

/// client-go's `DefaultControllerRateLimiter`: the larger of per-item exponential backoff
/// (5 ms doubling up to 1000 s) and an overall token bucket (10 per second, burst 100).
/// The bucket only matters when many items fail at once.
public func defaultControllerRateLimiter<Item: Hashable & Sendable>(
    clock: any RuntimeClock = SystemRuntimeClock()
) -> MaxOfRateLimiter<Item> {
    MaxOfRateLimiter([
        ExponentialFailureRateLimiter<Item>(baseDelay: RateLimiterSettings.defaultBaseDelay,
                                            maxDelay: RateLimiterSettings.defaultMaxDelay),
        BucketRateLimiter<Item>(qps: RateLimiterSettings.defaultQPS, burst: RateLimiterSettings.defaultBurst, clock: clock),
    ])
}
