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
        #expect(abs(m.queueLatency.sumSeconds - 0.03) < 1e-9)
        #expect(m.queueLatency.bucketCounts[7] == 1, "30 ms falls in the (10 ms, 100 ms] bucket")
        #expect(abs(m.longestRunningProcessorSeconds - 2) < 1e-9)
        #expect(abs(m.unfinishedWorkSeconds - 2) < 1e-9)
        q.done("a")
        m = q.metrics()
        #expect(m.workDuration.count == 1)
        #expect(abs(m.workDuration.sumSeconds - 2) < 1e-9)
        #expect(m.longestRunningProcessorSeconds == 0)
        q.addRateLimited("a")
        #expect(q.metrics().retries == 1)
        #expect(DurationHistogram.upperBoundsSeconds.count == 12)
        #expect(m.workDuration.bucketCounts.count == 13)
    }
}
