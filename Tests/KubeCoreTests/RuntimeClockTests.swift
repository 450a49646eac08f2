import Testing
@testable import KubeCore

@Suite("RuntimeClock")
struct RuntimeClockTests {
    @Test("a manual clock moves only when stepped, monotonic and wall time together")
    func stepping() {
        let clock = ManualRuntimeClock(start: 5_000_000_000, wallSeconds: 1_800_000_000)
        #expect(clock.nanoseconds() == 5_000_000_000)
        #expect(clock.wallSeconds() == 1_800_000_000)
        clock.step(.milliseconds(1500))
        #expect(clock.nanoseconds() == 6_500_000_000)
        #expect(clock.wallSeconds() == 1_800_000_001.5)
        clock.step(.seconds(-3))   // never backwards
        #expect(clock.nanoseconds() == 6_500_000_000)
    }

    @Test("a thread waiting on a manual clock sleeps until a step reaches its deadline")
    func waitUntilStepped() throws {
        let clock = ManualRuntimeClock()
        let condition = ConditionLock()
        clock.register(condition)
        let deadline = clock.nanoseconds() + 1_000_000_000
        let woke = Locked(false)
        let sleeper = try KubeThread.spawn(name: "sleeper") {
            condition.withLock {
                while clock.nanoseconds() < deadline { clock.wait(on: condition, deadline: deadline) }
            }
            woke.withLock { $0 = true }
        }
        // The sleeper parks on the clock; a step short of the deadline leaves it asleep.
        while clock.sleepers == 0 { condition.withLock { _ = condition.wait(timeout: .milliseconds(1)) } }
        clock.step(.milliseconds(500))
        while clock.sleepers == 0 { condition.withLock { _ = condition.wait(timeout: .milliseconds(1)) } }
        #expect(!woke.withLock { $0 })
        clock.step(.milliseconds(500))
        sleeper.join()
        #expect(woke.withLock { $0 })
        #expect(clock.sleepers == 0)
    }

    @Test("the system clock is monotonic and a deadline already passed does not wait")
    func systemClock() {
        let clock = SystemRuntimeClock()
        let a = clock.nanoseconds()
        let b = clock.nanoseconds()
        #expect(b >= a)
        #expect(clock.wallSeconds() > 1_600_000_000)
        let condition = ConditionLock()
        condition.withLock { clock.wait(on: condition, deadline: 0) }
    }
}

@Suite("KubeThread release")
struct KubeThreadReleaseTests {
    @Test("release(wait: true) from the thread itself returns, and a join elsewhere still waits")
    func selfRelease() throws {
        let me = Locked<KubeThread?>(nil)
        let gate = ConditionLock()
        let thread = try KubeThread.spawn(name: "self-release") {
            let current = gate.withLock { () -> KubeThread? in
                while me.withLock({ $0 }) == nil { gate.wait() }
                return me.withLock { $0 }
            }
            #expect(current.map { KubeThread.isAnyCurrent([$0]) } == true)
            current?.release(wait: true)   // must not deadlock
        }
        gate.withLock {
            me.withLock { $0 = thread }
            gate.broadcast()
        }
        #expect(!KubeThread.isAnyCurrent([thread]))
        thread.join()
        #expect(thread.isFinished)
    }

    @Test("release(wait: false) does not block; a later join still waits for the body")
    func detachedRelease() throws {
        let gate = ConditionLock()
        let open = Locked(false)
        let thread = try KubeThread.spawn(name: "detached") {
            gate.withLock { while !open.withLock({ $0 }) { gate.wait() } }
        }
        thread.release(wait: false)   // returns although the body is blocked
        #expect(!thread.isFinished)
        gate.withLock {
            open.withLock { $0 = true }
            gate.broadcast()
        }
        thread.join()
        #expect(thread.isFinished)
    }
}
