/// Decides how long a key waits before it is retried (client-go's `workqueue.RateLimiter`).
///
/// Implementations are thread-safe: a rate-limited queue calls them from every worker.
public protocol ItemRateLimiter<Item>: Sendable {
    associatedtype Item: Hashable & Sendable
    /// How long `item` must wait now; records one more failure for per-item limiters.
    func when(_ item: Item) -> Duration
    /// Stops tracking `item` (it succeeded): its next failure starts from the first delay.
    func forget(_ item: Item)
    /// How many failures are recorded for `item`.
    func numRequeues(_ item: Item) -> Int
    /// Counts of the items the limiter tracks, for skipping `forget` when they are all
    /// zero: `[]` when it tracks none (a token bucket), nil when it cannot tell (then
    /// `forget` is always called). The default is nil.
    var forgetHints: [ItemCountHint]? { get }
}

extension ItemRateLimiter {
    public var forgetHints: [ItemCountHint]? { nil }
}
