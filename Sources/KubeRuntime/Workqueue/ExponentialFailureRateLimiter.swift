import KubeCore

/// Per-item exponential backoff (client-go's `ItemExponentialFailureRateLimiter`):
/// the n-th failure of an item (n = 0, 1, …) waits `baseDelay × 2ⁿ`, capped at `maxDelay`.
public final class ExponentialFailureRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let baseDelay: Duration
    public let maxDelay: Duration
    private let baseNanos: Int64
    private let maxNanos: Int64
    private let failures = Locked<[Item: Int]>([:])
    private let tracked = ItemCountHint()

    /// client-go's controller defaults are 5 ms and 1000 s.
    public init(baseDelay: Duration = .milliseconds(5), maxDelay: Duration = .seconds(1000)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        baseNanos = max(0, baseDelay.nanosecondsClamped)
        maxNanos = max(0, maxDelay.nanosecondsClamped)
    }

    public func when(_ item: Item) -> Duration {
        let exponent = failures.withLock { table -> Int in
            let n = table[item, default: 0]
            table[item] = n + 1
            if n == 0 { tracked.increment() }
            return n
        }
        return .nanoseconds(Self.delay(base: baseNanos, max: maxNanos, exponent: exponent))
    }

    /// `base × 2^exponent` in nanoseconds, `max` when larger or when it overflows.
    static func delay(base: Int64, max: Int64, exponent: Int) -> Int64 {
        guard exponent < 63 else { return base == 0 ? 0 : max }
        let (value, overflow) = base.multipliedReportingOverflow(by: Int64(1) << exponent)
        if overflow || value > max { return max }
        return value
    }

    public func forget(_ item: Item) {
        // Most forgets follow a success of an item that never failed: skip lock and hash.
        if tracked.isEmpty { return }
        failures.withLock { table in
            if table.removeValue(forKey: item) != nil { tracked.decrement() }
        }
    }

    public var forgetHints: [ItemCountHint]? { [tracked] }

    public func numRequeues(_ item: Item) -> Int {
        failures.withLock { $0[item, default: 0] }
    }
}
