/// What the queue knows about one key: client-go's `dirty` and `processing` sets as two flags,
/// so that every queue operation hashes the key once.
@usableFromInline
struct WorkQueueItemState {
    /// The key needs processing: it is in `queue`, or it is processing and was added again,
    /// and goes back to `queue` when the worker calls `done`.
    @usableFromInline var dirty: Bool
    /// A worker holds the key (between `get` and `done`).
    @usableFromInline var processing: Bool
    /// When the key last entered `queue` (monotonic ns), for queue latency.
    @usableFromInline var queuedAt: UInt64
    /// When a worker took the key (monotonic ns), for work duration.
    @usableFromInline var startedAt: UInt64

    @inlinable
    init(dirty: Bool, processing: Bool, queuedAt: UInt64, startedAt: UInt64) {
        self.dirty = dirty
        self.processing = processing
        self.queuedAt = queuedAt
        self.startedAt = startedAt
    }
}
