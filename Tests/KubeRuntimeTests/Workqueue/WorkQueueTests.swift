import KubeCore
import KubeRuntime
import Testing
import KubeTestSupport

@Suite("Workqueue guarantees")
struct WorkQueueTests {
    @Test("duplicates waiting in the queue collapse into one and order is kept")
    func duplicatesCollapse() {
        let q = WorkQueue<String>()
        for key in ["a", "b", "a", "c", "b", "a"] { q.add(key) }
        #expect(q.count == 3)
        #expect(q.get() == "a")
        #expect(q.get() == "b")
        #expect(q.get() == "c")
        #expect(q.count == 0)
    }

    @Test("a key added while it is processing is processed again after done, not before")
    func reAddWhileProcessing() {
        let q = WorkQueue<String>()
        q.add("a")
        #expect(q.get() == "a")
        q.add("a")
        q.add("a")
        #expect(q.count == 0, "a processing key is not handed out again")
        q.add("b")
        #expect(q.get() == "b")
        q.done("b")
        q.done("a")
        #expect(q.count == 1)
        #expect(q.get() == "a")
        q.done("a")
        #expect(q.count == 0)
        #expect(q.get(timeout: .milliseconds(1)) == .timedOut)
    }

    @Test("done for a key that is not processing changes nothing")
    func doneUnknownKey() {
        let q = WorkQueue<String>()
        q.done("x")
        q.add("x")
        q.done("x")
        #expect(q.count == 1)
        #expect(q.get() == "x")
    }

    @Test("shutDown wakes every blocked get and later adds are ignored")
    func shutDownWakesGetters() throws {
        let q = WorkQueue<String>()
        let returned = Box(0)
        let waiting = try (0..<4).map { i in
            try KubeThread.spawn(name: "getter-\(i)") {
                let key = q.get()
                if key == nil { returned.update { $0 += 1 } }
            }
        }
        q.shutDown()
        for thread in waiting { thread.join() }
        #expect(returned.current == 4)
        q.add("late")
        #expect(q.count == 0)
        #expect(q.get() == nil)
        #expect(q.isShuttingDown)
    }

    @Test("after shutDown get still hands out the keys already queued, then nil")
    func shutDownDrainsQueuedKeys() {
        let q = WorkQueue<String>()
        q.add("a")
        q.add("b")
        q.shutDown()
        #expect(q.get() == "a")
        #expect(q.get() == "b")
        #expect(q.get() == nil)
        #expect(q.get(timeout: .seconds(1)) == .shutDown)
    }

    @Test("shutDownWithDrain waits until every key handed out is done")
    func shutDownWithDrainWaits() throws {
        let q = WorkQueue<String>()
        q.add("a")
        #expect(q.get() == "a")
        let drained = Box(false)
        let drainer = try KubeThread.spawn(name: "drain") {
            q.shutDownWithDrain()
            drained.update { $0 = true }
        }
        #expect(eventually { q.isShuttingDown })
        // The drainer must still be blocked: "a" is in flight.
        #expect(!eventually(within: 0.05) { drained.current })
        q.done("a")
        drainer.join()
        #expect(drained.current)
    }

    @Test("shutDownWithDrain returns at once when nothing is in flight")
    func drainIdle() {
        let q = WorkQueue<String>()
        q.shutDownWithDrain()
        #expect(q.get() == nil)
    }

    @Test("several workers never process one key at the same time, and every add is processed")
    func concurrentExclusive() throws {
        let q = WorkQueue<Int>()
        let inFlight = Box(Set<Int>())
        let violations = Box(0)
        let processedAfterLastAdd = Box([Int: Int]())  // key → processings started
        let keys = 50
        let workers = try (0..<4).map { w in
            try KubeThread.spawn(name: "worker-\(w)") {
                while let key = q.get() {
                    let clash = inFlight.update { !$0.insert(key).inserted }
                    if clash { violations.update { $0 += 1 } }
                    processedAfterLastAdd.update { $0[key, default: 0] += 1 }
                    inFlight.update { _ = $0.remove(key) }
                    q.done(key)
                }
            }
        }
        try onThreads(3) { p in
            var rng = SeededGenerator(defaultSeed: 1, stream: UInt64(p))
            for _ in 0..<20_000 { q.add(Int(rng.next() % UInt64(keys))) }
        }
        #expect(eventually(within: 10) { q.count == 0 && inFlight.current.isEmpty })
        q.shutDownWithDrain()
        for worker in workers { worker.join() }
        #expect(violations.current == 0)
        // Every key was added, so every key was processed at least once.
        #expect(processedAfterLastAdd.current.count == keys)
    }

    @Test("a key added while processing is always processed after its last add (randomized)")
    func noLostUpdates() throws {
        let q = WorkQueue<Int>()
        // Per key: the add sequence number last added, and the one seen when processing started.
        let lastAdded = Box([Int: Int]())
        let lastSeen = Box([Int: Int]())
        let workers = try (0..<3).map { w in
            try KubeThread.spawn(name: "worker-\(w)") {
                while let key = q.get() {
                    let seen = lastAdded.update { $0[key, default: 0] }
                    lastSeen.update { $0[key] = max($0[key, default: 0], seen) }
                    q.done(key)
                }
            }
        }
        try onThreads(2) { p in
            var rng = SeededGenerator(defaultSeed: 100, stream: UInt64(p))
            for n in 1...20_000 {
                let key = Int(rng.next() % 30)
                lastAdded.update { $0[key] = max($0[key, default: 0], n * 2 + p) }
                q.add(key)
            }
        }
        #expect(eventually(within: 10) { lastSeen.current == lastAdded.current })
        q.shutDownWithDrain()
        for worker in workers { worker.join() }
        #expect(lastSeen.current == lastAdded.current)
    }

    @Test("keys that come and go are forgotten once done, and come back correctly when re-added")
    func idleKeysReclaimed() {
        let q = WorkQueue<Int>()
        for round in 0..<3 {
            for i in 0..<5000 { q.add(round * 100_000 + i) }
            #expect(q.count == 5000)
            // One key of the previous round is re-added while others are being reclaimed.
            if round > 0 { q.add((round - 1) * 100_000 + 7) }
            var seen = Set<Int>()
            while case .item(let key) = q.get(timeout: .zero) {
                #expect(seen.insert(key).inserted)
                q.done(key)
            }
            #expect(seen.count == (round > 0 ? 5001 : 5000))
        }
        q.add(42)
        q.add(42)
        #expect(q.get() == 42)
        q.add(42)
        q.done(42)
        #expect(q.get() == 42)
        q.done(42)
        #expect(q.count == 0)
    }

    @Test("random operations keep the queue consistent with a model (100,000 steps)")
    func randomizedModel() {
        let q = WorkQueue<Int>()
        var queued: [Int] = []
        var dirty = Set<Int>()
        var processing = Set<Int>()
        var rng = SeededGenerator(defaultSeed: 42)
        for _ in 0..<100_000 {
            let key = Int(rng.next() % 20)
            switch rng.next() % 3 {
            case 0:
                q.add(key)
                if !dirty.contains(key) {
                    dirty.insert(key)
                    if !processing.contains(key) { queued.append(key) }
                }
            case 1:
                if queued.isEmpty {
                    #expect(q.get(timeout: .zero) == .timedOut)
                } else {
                    let expected = queued.removeFirst()
                    #expect(q.get(timeout: .zero) == .item(expected))
                    dirty.remove(expected)
                    processing.insert(expected)
                }
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
}

