/// What the queue knows about one key: client-go's `dirty` and `processing` sets as two flags
/// on a slot, so that `get` needs no hashing and `add`/`done` hash the key once.
@usableFromInline
struct WorkQueueItemState<Key: Hashable & Sendable> {
    /// The key of this slot; nil for a free slot.
    @usableFromInline var key: Key?
    /// The key needs processing: it is in `queue`, or it is processing and was added again,
    /// and goes back to `queue` when the worker calls `done`.
    @usableFromInline var dirty: Bool
    /// A worker holds the key (between `get` and `done`).
    @usableFromInline var processing: Bool
    /// When the key last entered `queue` (monotonic ns), for queue latency.
    @usableFromInline var queuedAt: UInt64
    /// When a worker took the key (monotonic ns), for work duration.
    @usableFromInline var startedAt: UInt64
    /// While processing: where the slot is in the queue's `inFlight` list.
    @usableFromInline var inFlightIndex: Int

    @inlinable
    init(key: Key?) {
        self.key = key
        dirty = false
        processing = false
        queuedAt = 0
        startedAt = 0
        inFlightIndex = -1
    }

    /// Neither dirty nor processing: the key needs nothing; its slot may be reclaimed.
    @inlinable
    var isIdle: Bool { !dirty && !processing }
}
