import KubeCore
import KubeRuntime
import Testing
import KubeTestSupport

@Suite("Delaying queue")
struct DelayingQueueTests {
    @Test("addAfter adds each key when its time comes, earliest first")
    func addsWhenDue() {
        let clock = ManualRuntimeClock()
        let q = DelayingQueue<String>(clock: clock)
        defer { q.shutDown() }
        q.addAfter("late", delay: .seconds(10))
        q.addAfter("early", delay: .seconds(5))
        #expect(q.count == 0)
        clock.step(.seconds(4))
        // Once the timer thread sleeps again (until 5 s), nothing was due: exact, no time window.
        #expect(eventually { clock.sleepers == 1 })
        #expect(q.count == 0)
        clock.step(.seconds(1))
        #expect(eventually { q.count == 1 })
        #expect(q.get() == "early")
        clock.step(.seconds(5))
        #expect(eventually { q.count == 1 })
        #expect(q.get() == "late")
    }

    @Test("a key scheduled twice keeps the earlier time and is added once")
    func keepsEarlierTime() {
        let clock = ManualRuntimeClock()
        let q = DelayingQueue<String>(clock: clock)
        defer { q.shutDown() }
        q.addAfter("a", delay: .seconds(10))
        q.addAfter("a", delay: .seconds(2))
        q.addAfter("a", delay: .seconds(8))
        #expect(q.metrics().waitingForDelay == 1)
        clock.step(.seconds(2))
        #expect(eventually { q.count == 1 })
        #expect(q.get() == "a")
        q.done("a")
        #expect(q.metrics().waitingForDelay == 0, "the later schedules were dropped")
        clock.step(.seconds(10))
        #expect(q.count == 0)
    }

    @Test("addAfter with no delay adds at once")
    func zeroDelay() {
        let q = DelayingQueue<String>()
        defer { q.shutDown() }
        q.addAfter("now", delay: .zero)
        q.addAfter("past", delay: .seconds(-1))
        #expect(q.count == 2)
        #expect(q.metrics().retries == 2)
    }

    @Test("many delayed keys are served by one timer thread in time order")
    func manyKeysInOrder() {
        let clock = ManualRuntimeClock()
        let q = DelayingQueue<Int>(clock: clock)
        defer { q.shutDown() }
        for i in (0..<1000).reversed() { q.addAfter(i, delay: .milliseconds(i + 1)) }
        clock.step(.seconds(2))
        #expect(eventually { q.count == 1000 })
        var got: [Int] = []
        while case .item(let key) = q.get(timeout: .zero) { got.append(key) }
        #expect(got == Array(0..<1000))
    }

    @Test("real time: a short addAfter arrives after its delay")
    func realClock() {
        let q = DelayingQueue<String>()
        defer { q.shutDown() }
        let start = MonotonicClock.nanoseconds()
        q.addAfter("x", delay: .milliseconds(20))
        #expect(q.get() == "x")
        #expect(MonotonicClock.nanoseconds() - start >= 20_000_000)
    }

    @Test("shutDown stops the timer and drops waiting keys")
    func shutDownStopsTimer() {
        let clock = ManualRuntimeClock()
        let q = DelayingQueue<String>(clock: clock)
        q.addAfter("a", delay: .seconds(1))
        q.shutDown()
        clock.step(.seconds(2))
        q.addAfter("b", delay: .zero)
        #expect(q.get() == nil)
    }
}
