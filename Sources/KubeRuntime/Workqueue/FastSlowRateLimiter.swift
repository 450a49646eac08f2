import KubeCore

/// Per-item two-speed retries (client-go's `ItemFastSlowRateLimiter`): the first
/// `maxFastAttempts` failures of an item wait `fastDelay`, later ones `slowDelay`.
public final class FastSlowRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let fastDelay: Duration
    public let slowDelay: Duration
    public let maxFastAttempts: Int
    private let failures = Locked<[Item: Int]>([:])
    private let tracked = ItemCountHint()

    public init(fastDelay: Duration, slowDelay: Duration, maxFastAttempts: Int) {
        self.fastDelay = fastDelay
        self.slowDelay = slowDelay
        self.maxFastAttempts = maxFastAttempts
    }

    public func when(_ item: Item) -> Duration {
        let attempts = failures.withLock { table -> Int in
            let n = table[item, default: 0] + 1
            table[item] = n
            if n == 1 { tracked.increment() }
            return n
        }
        return attempts <= maxFastAttempts ? fastDelay : slowDelay
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
