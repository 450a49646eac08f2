import Testing
@testable import KubeCore

@Suite("Locked and ConditionLock")
struct LockedTests {
    private struct Failure: Error {}

    @Test("increments from several threads are never lost")
    func concurrentIncrements() throws {
        let counter = Locked(0)
        let threads = try (0..<4).map { i in
            try KubeThread.spawn(name: "inc-\(i)") {
                for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
            }
        }
        for thread in threads { thread.join() }
        #expect(counter.withLock { $0 } == 40_000)
    }

    @Test("a throwing body rethrows its typed error and keeps what it changed before throwing")
    func throwingBody() {
        let state = Locked([1])
        #expect(throws: Failure.self) {
            try state.withLock { (list: inout [Int]) throws(Failure) in
                list.append(2)
                throw Failure()
            }
        }
        #expect(state.withLock { $0 } == [1, 2])
        // The lock was released on the throw: taking it again does not deadlock.
        #expect(state.withLock { $0.count } == 2)
    }

    @Test("an adaptive condition lock excludes like a plain one")
    func adaptiveExcludes() throws {
        for adaptive in [false, true] {
            let lock = ConditionLock(adaptive: adaptive)
            let box = Locked(0)
            nonisolated(unsafe) var plain = 0   // guarded by `lock` only
            let threads = try (0..<4).map { i in
                try KubeThread.spawn(name: "cl-\(i)") {
                    for _ in 0..<5_000 { lock.withLock { plain += 1 } }
                    box.withLock { $0 += 1 }
                }
            }
            for thread in threads { thread.join() }
            #expect(lock.withLock { plain } == 20_000)
            #expect(box.withLock { $0 } == 4)
        }
    }

    @Test("a timed wait with nobody signalling times out; a signalled one does not")
    func timedWait() throws {
        let lock = ConditionLock(adaptive: true)
        #expect(lock.withLock { lock.wait(timeout: .milliseconds(1)) } == false)
        #expect(lock.withLock { lock.wait(timeout: .seconds(-1)) } == false)
        // Positive control: a signal ends the wait, whatever the (long) timeout.
        let ready = Locked(false)
        let signaller = try KubeThread.spawn(name: "signal") {
            lock.withLock {
                ready.withLock { $0 = true }
                lock.broadcast()
            }
        }
        lock.withLock {
            while !ready.withLock({ $0 }) { lock.wait(timeout: .seconds(3600)) }
        }
        signaller.join()
        #expect(ready.withLock { $0 })
    }

    @Test("wait(until:timeoutMs:): 0 does not wait, a negative timeout waits for the condition")
    func waitUntil() throws {
        let lock = ConditionLock()
        let done = Locked(false)
        let isDone = { done.withLock { $0 } }
        #expect(lock.withLock { lock.wait(until: isDone, timeoutMs: 0) } == false)
        #expect(lock.withLock { lock.wait(until: isDone, timeoutMs: 1) } == false)
        // Positive control: a condition made true by another thread ends an unlimited wait.
        let setter = try KubeThread.spawn(name: "setter") {
            lock.withLock {
                done.withLock { $0 = true }
                lock.broadcast()
            }
        }
        #expect(lock.withLock { lock.wait(until: isDone, timeoutMs: -1) })
        setter.join()
        #expect(lock.withLock { lock.wait(until: isDone, timeoutMs: Int64.max) })
    }
}
