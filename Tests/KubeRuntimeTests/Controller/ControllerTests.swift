import KubeCore
import KubeRuntime
import Testing
import KubeTestSupport

private struct Boom: Error {}

@Suite("Controller runner")
struct ControllerTests {
    private func fastQueue() -> RateLimitingQueue<String> {
        RateLimitingQueue(rateLimiter: ExponentialFailureRateLimiter(baseDelay: .milliseconds(1), maxDelay: .milliseconds(20)))
    }

    @Test("a throwing reconcile is retried with backoff until it succeeds, and the worker survives")
    func retriesThrowing() throws {
        let attempts = Box([String: Int]())
        let controller = Controller<String>(name: "t", workers: 2, queue: fastQueue()) { key in
            let n = attempts.update { $0[key, default: 0] += 1; return $0[key]! }
            if key == "flaky" && n < 4 { throw Boom() }
            return .success
        }
        try controller.start()
        controller.queue.add("flaky")
        controller.queue.add("steady")
        #expect(eventually { attempts.current["flaky"] == 4 && attempts.current["steady"] == 1 })
        #expect(eventually { controller.queue.numRequeues("flaky") == 0 }, "success forgets the backoff")
        controller.queue.add("after")
        #expect(eventually { attempts.current["after"] == 1 }, "workers still run after errors")
        controller.stop()
        #expect(controller.queue.metrics().retries == 3)
    }

    @Test("requeue grows the backoff, requeueAfter comes back after its delay")
    func requeueResults() throws {
        let attempts = Box([String: Int]())
        let controller = Controller<String>(name: "t", workers: 1, queue: fastQueue()) { key in
            let n = attempts.update { $0[key, default: 0] += 1; return $0[key]! }
            switch (key, n) {
            case ("r", 1...2): return .requeue
            case ("a", 1): return .requeueAfter(.milliseconds(30))
            default: return .success
            }
        }
        try controller.start()
        let start = MonotonicClock.nanoseconds()
        controller.queue.add("r")
        controller.queue.add("a")
        #expect(eventually { attempts.current["r"] == 3 && attempts.current["a"] == 2 })
        #expect(MonotonicClock.nanoseconds() - start >= 30_000_000)
        controller.stop()
    }

    @Test("maxRetries drops a key that keeps failing")
    func maxRetries() throws {
        let attempts = Box(0)
        let controller = Controller<String>(name: "t", workers: 1, queue: fastQueue(), maxRetries: 3) { _ in
            attempts.update { $0 += 1 }
            throw Boom()
        }
        try controller.start()
        controller.queue.add("bad")
        #expect(eventually { attempts.current == 4 })  // the positive control: it was retried
        // Dropped: neither waiting, nor queued, nor in a worker. A requeued key is always in one
        // of the three, so this never holds while retries go on.
        #expect(eventually {
            let m = controller.queue.metrics()
            return m.depth == 0 && m.processing == 0 && m.waitingForDelay == 0
        })
        #expect(attempts.current == 4)
        #expect(controller.queue.numRequeues("bad") == 0)
        controller.stop()
    }

    @Test("stop finishes in-flight work and joins the workers")
    func gracefulStop() throws {
        let finished = Box(0)
        let controller = Controller<String>(name: "t", workers: 3) { _ in
            let pause = ConditionLock()
            pause.withLock { _ = pause.wait(timeout: .milliseconds(20)) }
            finished.update { $0 += 1 }
            return .success
        }
        try controller.start()
        for i in 0..<6 { controller.queue.add("k\(i)") }
        #expect(eventually { controller.queue.metrics().processing > 0 })
        controller.stop()
        #expect(finished.current == 6)
        #expect(controller.queue.isShuttingDown)
    }

    @Test("runUntilTerminated returns when termination is triggered")
    func terminationTrigger() throws {
        let controller = Controller<String>(name: "t", workers: 1) { _ in .success }
        let runner = try KubeThread.spawn(name: "runner") { _ = try? controller.runUntilTerminated() }
        TerminationSignals.trigger()
        runner.join()
        #expect(controller.queue.isShuttingDown)
    }
}
