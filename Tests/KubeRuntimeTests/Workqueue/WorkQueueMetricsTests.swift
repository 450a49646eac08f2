import KubeCore
import KubeRuntime
import Testing

@Suite("Workqueue metrics")
struct WorkQueueMetricsTests {
    @Test("depth, adds, latency, work duration and longest running processor follow the clock")
    func metricsFollowClock() {
        let clock = ManualRuntimeClock()
        let q = RateLimitingQueue<String>(name: "things", clock: clock)
        defer { q.shutDown() }
        q.add("a")
        q.add("a")
        q.add("b")
        var m = q.metrics()
        #expect(m.name == "things")
        #expect(m.depth == 2)
        #expect(m.adds == 3)
        clock.step(.milliseconds(30))
        #expect(q.get() == "a")
        clock.step(.seconds(2))
        m = q.metrics()
        #expect(m.depth == 1)
        #expect(m.processing == 1)
        #expect(m.queueLatency.count == 1)
        #expect(nearly(m.queueLatency.sum, .milliseconds(30)))
        #expect(m.queueLatency.bucketCounts[7] == 1, "30 ms falls in the (10 ms, 100 ms] bucket")
        #expect(nearly(m.longestRunningProcessor, .seconds(2)))
        #expect(nearly(m.unfinishedWork, .seconds(2)))
        q.done("a")
        m = q.metrics()
        #expect(m.workDuration.count == 1)
        #expect(nearly(m.workDuration.sum, .seconds(2)))
        #expect(nearly(m.workDuration.maximum, .seconds(2)))
        #expect(m.longestRunningProcessor == .zero)
        q.addRateLimited("a")
        #expect(q.metrics().retries == 1)
        #expect(DurationHistogram.upperBounds.count == 12)
        #expect(DurationHistogram.upperBounds.first == .nanoseconds(10))
        #expect(DurationHistogram.upperBounds.last == .seconds(1000))
        #expect(m.workDuration.bucketCounts.count == 13)
    }

    /// Equal to the nanosecond: the queue marks timestamps with their lowest bit set.
    func nearly(_ a: Duration, _ b: Duration) -> Bool {
        a - b <= .nanoseconds(1) && b - a <= .nanoseconds(1)
    }
}
