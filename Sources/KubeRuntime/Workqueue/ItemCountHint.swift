import Synchronization

/// How many items a rate limiter tracks, readable without its lock: lets a rate-limited
/// queue skip `forget` when no limiter has anything to forget — the common case, a key
/// processed without ever failing — so that a successful cycle takes no limiter lock.
///
/// The limiter changes the count while holding its own lock, after adding and after
/// removing an item, so a `forget` that follows a `when` of the same item sees it.
public final class ItemCountHint: Sendable {
    @usableFromInline let count = Atomic<Int>(0)

    public init() {}

    /// True when the limiter tracks no item.
    @inlinable
    public var isEmpty: Bool { count.load(ordering: .acquiring) == 0 }

    func increment() { count.add(1, ordering: .releasing) }
    func decrement() { count.subtract(1, ordering: .releasing) }
}
