import Testing
@testable import KubeCore

/// Issue 11, item 2: every join waits for the body, however many threads join at once, and a
/// thread joining itself returns at once (and is reaped when it ends).
@Suite("KubeThread joins")
struct KubeThreadJoinTests {
    @Test("concurrent joiners all return only after the body has returned")
    func concurrentJoinersWait() throws {
        let gate = ConditionLock()
        let state = Locked<(entered: Bool, release: Bool, bodyDone: Bool)>((false, false, false))
        let worker = try KubeThread.spawn(name: "body") {
            gate.withLock {
                state.withLock { $0.entered = true }
                gate.broadcast()
                while !state.withLock({ $0.release }) { gate.wait() }
            }
            state.withLock { $0.bodyDone = true }
        }
        gate.withLock { while !state.withLock({ $0.entered }) { gate.wait() } }
        let sawDone = Locked<[Bool]>([])
        let joiners = try (0..<3).map { i in
            try KubeThread.spawn(name: "joiner-\(i)") {
                worker.join()
                let done = state.withLock { $0.bodyDone }
                sawDone.withLock { $0.append(done) }
            }
        }
        #expect(!worker.isFinished)
        gate.withLock {
            state.withLock { $0.release = true }
            gate.broadcast()
        }
        for joiner in joiners { joiner.join() }
        #expect(sawDone.withLock { $0 } == [true, true, true])
        #expect(worker.isFinished)
        worker.join()   // once more, after the end: returns at once
    }

    @Test("a thread joining itself does not deadlock, and other joiners still wait for it")
    func selfJoin() throws {
        let returned = Locked(false)
        let worker = Locked<KubeThread?>(nil)
        let published = ConditionLock()
        let thread = try KubeThread.spawn(name: "self") {
            let me = published.withLock { () -> KubeThread? in
                while worker.withLock({ $0 }) == nil { published.wait() }
                return worker.withLock { $0 }
            }
            me?.join()   // must return at once
            returned.withLock { $0 = true }
        }
        published.withLock {
            worker.withLock { $0 = thread }
            published.broadcast()
        }
        thread.join()
        #expect(returned.withLock { $0 })
        #expect(thread.isFinished)
    }
}

@Suite("Saturating time conversions")
struct MonotonicClockSaturationTests {
    @Test("huge, infinite, NaN and negative seconds never trap")
    func saturating() {
        let cap = UInt64(MonotonicClock.maxSeconds * 1e9)
        #expect(MonotonicClock.nanoseconds(saturatingSeconds: .infinity) == cap)
        #expect(MonotonicClock.nanoseconds(saturatingSeconds: 1e300) == cap)
        #expect(MonotonicClock.nanoseconds(saturatingSeconds: .nan) == 0)
        #expect(MonotonicClock.nanoseconds(saturatingSeconds: -5) == 0)
        #expect(MonotonicClock.nanoseconds(saturatingSeconds: 1.5) == 1_500_000_000)
        let now = MonotonicClock.nanoseconds()
        #expect(MonotonicClock.deadline(afterMilliseconds: .max) >= now + cap)
        #expect(MonotonicClock.deadline(afterMilliseconds: .max) < .max)
    }
}
