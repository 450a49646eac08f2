import KubeCore
import KubeRuntime
import Testing
import KubeTestSupport

/// The shortcuts of the hot path: `done` finding its key among the few in flight (and by
/// hash when many are), and `forget` skipping limiters that track nothing.
@Suite("Workqueue fast paths")
struct WorkQueueFastPathTests {
    @Test("done with few and with many keys in flight, for processing and idle keys, matches a model")
    func doneWithFewAndManyInFlight() {
        let q = WorkQueue<String>(timings: false)
        var queued: [String] = []
        var dirty = Set<String>()
        var processing = Set<String>()
        var rng = SeededGenerator(defaultSeed: 7)
        for step in 0..<60_000 {
            // Phases alternate between keeping few (≤ 8) and many keys in flight.
            let manyInFlight = (step / 5_000) % 2 == 1
            let key = "namespace-one/key-\(rng.next() % 40)"
            switch rng.next() % 4 {
            case 0:
                q.add(key)
                if !dirty.contains(key) {
                    dirty.insert(key)
                    if !processing.contains(key) { queued.append(key) }
                }
            case 1 where manyInFlight || processing.count < 8:
                if queued.isEmpty {
                    #expect(q.get(timeout: .zero) == .timedOut)
                } else {
                    let expected = queued.removeFirst()
                    #expect(q.get(timeout: .zero) == .item(expected))
                    dirty.remove(expected)
                    processing.insert(expected)
                }
            case 2:
                // A fresh String (its own storage, not the queue's) for any key, processing or not.
                let fresh = String(decoding: Array("namespace-one/key-\(rng.next() % 40)".utf8), as: UTF8.self)
                q.done(fresh)
                if processing.remove(fresh) != nil, dirty.contains(fresh) { queued.append(fresh) }
            default:
                guard let key = processing.randomElement(using: &rng) else { continue }
                q.done(key)
                processing.remove(key)
                if dirty.contains(key) { queued.append(key) }
            }
            #expect(q.count == queued.count)
        }
        #expect(q.metrics().processing == processing.count)
    }

    @Test("forget after a failure resets the count; forget of a key that never failed leaves others alone")
    func forgetSkipsOnlyWhenNothingIsTracked() {
        let clock = ManualRuntimeClock()
        let q = RateLimitingQueue<String>(name: "forget", clock: clock)
        defer { q.shutDown() }
        q.forget("never-failed")
        q.addRateLimited("a")
        q.addRateLimited("a")
        q.addRateLimited("b")
        #expect(q.numRequeues("a") == 2)
        q.forget("never-failed")
        #expect(q.numRequeues("a") == 2)
        q.forget("a")
        #expect(q.numRequeues("a") == 0)
        #expect(q.numRequeues("b") == 1)
        q.forget("b")
        #expect(q.numRequeues("b") == 0)
        q.addRateLimited("a")
        #expect(q.numRequeues("a") == 1, "counting starts again after everything was forgotten")
        q.forget("a")
        #expect(q.numRequeues("a") == 0)
    }

    @Test("a limiter that cannot tell what it tracks is always asked to forget")
    func forgetWithUnknownLimiter() {
        let limiter = CountingLimiter()
        let q = RateLimitingQueue<String>(rateLimiter: limiter)
        defer { q.shutDown() }
        q.forget("a")
        q.forget("b")
        #expect(limiter.forgets.current == 2)
        #expect(MaxOfRateLimiter<String>([limiter, BucketRateLimiter()]).forgetHints == nil)
        #expect(MaxOfRateLimiter<String>([BucketRateLimiter<String>()]).forgetHints?.isEmpty == true)
    }
}

/// A limiter without `forgetHints` (the protocol's default, nil).
final class CountingLimiter: ItemRateLimiter {
    let forgets = Box(0)
    func when(_ item: String) -> Duration { .zero }
    func forget(_ item: String) { forgets.update { $0 += 1 } }
    func numRequeues(_ item: String) -> Int { 0 }
}
