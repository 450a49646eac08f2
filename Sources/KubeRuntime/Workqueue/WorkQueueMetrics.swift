/// A snapshot of a workqueue's metrics, the ones client-go's workqueue exports.
///
/// This is the metrics hook: read it with `WorkQueue.metrics()` (C: `kc_workqueue_get_metrics`,
/// Python: `WorkQueue.metrics()`) and publish it to any metrics system. Counters only grow.
public struct WorkQueueMetrics: Sendable, Hashable {
    /// The queue's name (empty when unnamed).
    public var name: String
    /// Keys waiting for a worker now.
    public var depth: Int
    /// Keys being processed now (taken by `get`, not yet `done`).
    public var processing: Int
    /// Keys waiting in the delaying queue for their time (`addAfter`, `addRateLimited`).
    public var waitingForDelay: Int
    /// Calls to `add` that were accepted, including ones that collapsed into a waiting key.
    public var adds: UInt64
    /// Calls to `addAfter` (and so `addRateLimited`): client-go's retries counter.
    public var retries: UInt64
    /// Time keys spent in the queue before a worker took them.
    public var queueLatency: DurationHistogram
    /// Time between `get` and `done`.
    public var workDuration: DurationHistogram
    /// Sum of the time every in-flight key has been processing.
    public var unfinishedWork: Duration
    /// How long the longest in-flight key has been processing (zero when idle).
    public var longestRunningProcessor: Duration

    public init(name: String = "") {
        self.name = name
        depth = 0
        processing = 0
        waitingForDelay = 0
        adds = 0
        retries = 0
        queueLatency = DurationHistogram()
        workDuration = DurationHistogram()
        unfinishedWork = .zero
        longestRunningProcessor = .zero
    }
}
