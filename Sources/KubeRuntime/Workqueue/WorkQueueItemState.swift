/// What the queue knows about one key: client-go's `dirty` and `processing` sets as two flags,
/// so that every queue operation hashes the key once.
struct WorkQueueItemState {
    /// The key needs processing: it is in `queue`, or it is processing and was added again,
    /// and goes back to `queue` when the worker calls `done`.
    var dirty: Bool
    /// A worker holds the key (between `get` and `done`).
    var processing: Bool
    /// When the key last entered `queue` (monotonic ns), for queue latency.
    var queuedAt: UInt64
    /// When a worker took the key (monotonic ns), for work duration.
    var startedAt: UInt64
}
