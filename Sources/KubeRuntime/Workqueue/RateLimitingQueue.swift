import KubeCore

/// A delaying work queue that spaces out retries (client-go's `RateLimitingInterface`).
///
/// A worker whose processing failed calls `addRateLimited(key)`: the key comes back after the
/// rate limiter's delay. When processing succeeds it calls `forget(key)` so that the key's
/// next failure starts from the shortest delay again. `done` is still required either way.
public final class RateLimitingQueue<Key: Hashable & Sendable>: DelayingQueue<Key>, @unchecked Sendable {
    /// The limiter deciding retry delays.
    public let rateLimiter: any ItemRateLimiter<Key>
    /// `rateLimiter.forget`, bound once: opening a constrained existential on every call
    /// costs a runtime metadata lookup, and `forget` runs once per processed key.
    @usableFromInline let forgetKey: @Sendable (Key) -> Void
    /// The limiter's `forgetHints`, read once (nil: always forget).
    @usableFromInline let forgetHints: [ItemCountHint]?

    /// Creates a queue; the default limiter is `defaultControllerRateLimiter()`.
    public init(name: String = "", rateLimiter: (any ItemRateLimiter<Key>)? = nil, timings: Bool = true,
                clock: any RuntimeClock = SystemRuntimeClock()) {
        let limiter = rateLimiter ?? defaultControllerRateLimiter(clock: clock)
        self.rateLimiter = limiter
        forgetKey = Self.bindForget(limiter)
        forgetHints = limiter.forgetHints
        super.init(name: name, timings: timings, clock: clock)
    }

    /// Adds `key` after the delay the rate limiter gives it now.
    public func addRateLimited(_ key: Key) {
        addAfter(key, delay: rateLimiter.when(key))
    }

    /// Resets the rate limiter's record of `key` (call after a success).
    @inlinable
    public func forget(_ key: Key) {
        // A key that never failed has nothing to forget: no call into the limiter at all.
        if let hints = forgetHints, hints.allSatisfy({ $0.isEmpty }) { return }
        forgetKey(key)
    }

    private static func bindForget<L: ItemRateLimiter<Key>>(_ limiter: L) -> @Sendable (Key) -> Void {
        { limiter.forget($0) }
    }

    /// How many times `key` has been rate limited since it was last forgotten.
    public func numRequeues(_ key: Key) -> Int {
        rateLimiter.numRequeues(key)
    }
}
