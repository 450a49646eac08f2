import Synchronization

/// Per-item two-speed retries (client-go's `ItemFastSlowRateLimiter`): the first
/// `maxFastAttempts` failures of an item wait `fastDelay`, later ones `slowDelay`.
public final class FastSlowRateLimiter<Item: Hashable & Sendable>: ItemRateLimiter {
    public let fastDelay: Duration
    public let slowDelay: Duration
    public let maxFastAttempts: Int
    private let failures = Mutex<[Item: Int]>([:])

    public init(fastDelay: Duration, slowDelay: Duration, maxFastAttempts: Int) {
        self.fastDelay = fastDelay
        self.slowDelay = slowDelay
        self.maxFastAttempts = maxFastAttempts
    }

    public func when(_ item: Item) -> Duration {
        let attempts = failures.withLock { table -> Int in
            let n = table[item, default: 0] + 1
            table[item] = n
            return n
        }
        return attempts <= maxFastAttempts ? fastDelay : slowDelay
    }

    public func forget(_ item: Item) {
        failures.withLock { table in
            if !table.isEmpty { table.removeValue(forKey: item) }
        }
    }

    public func numRequeues(_ item: Item) -> Int {
        failures.withLock { $0[item, default: 0] }
    }
}
