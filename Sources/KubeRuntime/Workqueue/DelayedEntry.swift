/// A key waiting in the delaying queue's heap until `readyAt`.
struct DelayedEntry<Key: Hashable & Sendable>: Comparable {
    var readyAt: UInt64
    /// Insertion order: keys due at the same time are added in the order they were scheduled.
    var sequence: UInt64
    var key: Key

    static func < (a: Self, b: Self) -> Bool {
        a.readyAt != b.readyAt ? a.readyAt < b.readyAt : a.sequence < b.sequence
    }

    static func == (a: Self, b: Self) -> Bool {
        a.readyAt == b.readyAt && a.sequence == b.sequence
    }
}
