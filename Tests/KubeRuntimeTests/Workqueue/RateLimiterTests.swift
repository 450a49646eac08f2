import KubeCore
import KubeRuntime
import Testing
import KubeTestSupport

@Suite("Rate limiters")
struct RateLimiterTests {
    @Test("exponential failure: base × 2^n per item, capped, reset by forget")
    func exponential() {
        let r = ExponentialFailureRateLimiter<String>(baseDelay: .milliseconds(1), maxDelay: .seconds(1))
        let delays = (0..<12).map { _ in r.when("a") }
        #expect(delays[0] == .milliseconds(1))
        #expect(delays[1] == .milliseconds(2))
        #expect(delays[5] == .milliseconds(32))
        #expect(delays[9] == .milliseconds(512))
        #expect(delays[10] == .seconds(1))
        #expect(delays[11] == .seconds(1))
        #expect(r.numRequeues("a") == 12)
        #expect(r.when("b") == .milliseconds(1), "items are independent")
        r.forget("a")
        #expect(r.numRequeues("a") == 0)
        #expect(r.when("a") == .milliseconds(1))
    }

    @Test("exponential failure never overflows and client-go's defaults are 5 ms and 1000 s")
    func exponentialDefaultsAndOverflow() {
        let r = ExponentialFailureRateLimiter<Int>()
        #expect(r.when(1) == .milliseconds(5))
        #expect(r.when(1) == .milliseconds(10))
        for _ in 0..<200 { _ = r.when(1) }
        #expect(r.when(1) == .seconds(1000))
    }

    @Test("fast-slow: fast delay for the first attempts, then slow")
    func fastSlow() {
        let r = FastSlowRateLimiter<String>(fastDelay: .milliseconds(5), slowDelay: .seconds(10), maxFastAttempts: 3)
        #expect((0..<5).map { _ in r.when("a") } == [.milliseconds(5), .milliseconds(5), .milliseconds(5), .seconds(10), .seconds(10)])
        #expect(r.numRequeues("a") == 5)
        r.forget("a")
        #expect(r.when("a") == .milliseconds(5))
    }

    @Test("token bucket: burst free, then one token per 1/qps, refilled with time")
    func bucket() {
        let clock = ManualRuntimeClock()
        let r = BucketRateLimiter<String>(qps: 10, burst: 100, clock: clock)
        for i in 0..<100 { #expect(r.when("k\(i)") == .zero) }
        #expect(r.when("x") == .milliseconds(100))
        #expect(r.when("y") == .milliseconds(200))
        clock.step(.seconds(1))  // +10 tokens, 2 already reserved
        for _ in 0..<8 { #expect(r.when("z") == .zero) }
        #expect(r.when("z") == .milliseconds(100))
        #expect(r.numRequeues("z") == 0)
    }

    @Test("max-of takes the longest delay, forgets in all and reports the largest count")
    func maxOf() {
        let r = MaxOfRateLimiter<String>([
            ExponentialFailureRateLimiter(baseDelay: .milliseconds(1), maxDelay: .seconds(100)),
            FastSlowRateLimiter(fastDelay: .milliseconds(3), slowDelay: .seconds(1), maxFastAttempts: 2),
        ])
        #expect(r.when("a") == .milliseconds(3))
        #expect(r.when("a") == .milliseconds(3))
        #expect(r.when("a") == .seconds(1))
        #expect(r.numRequeues("a") == 3)
        r.forget("a")
        #expect(r.numRequeues("a") == 0)
        #expect(r.when("a") == .milliseconds(3))
    }

    @Test("the default controller limiter is max(5 ms × 2^n up to 1000 s, 10 qps burst 100)")
    func defaultController() {
        let clock = ManualRuntimeClock()
        let r: MaxOfRateLimiter<String> = defaultControllerRateLimiter(clock: clock)
        #expect(r.when("a") == .milliseconds(5))
        #expect(r.when("a") == .milliseconds(10))
        for i in 0..<98 { _ = r.when("b\(i)") }
        // The bucket is now empty: the next failure of a fresh item waits for a token.
        #expect(r.when("c") == .milliseconds(100))
    }

    @Test("a rate-limited queue retries after the limiter's delay and forget resets it")
    func rateLimitedQueue() {
        let clock = ManualRuntimeClock()
        let q = RateLimitingQueue<String>(
            rateLimiter: ExponentialFailureRateLimiter(baseDelay: .seconds(1), maxDelay: .seconds(60)), clock: clock)
        defer { q.shutDown() }
        q.add("a")
        #expect(q.get() == "a")
        q.addRateLimited("a")
        q.done("a")
        #expect(q.numRequeues("a") == 1)
        #expect(q.count == 0)
        clock.step(.seconds(1))
        #expect(eventually { q.count == 1 })
        #expect(q.get() == "a")
        q.addRateLimited("a")
        q.done("a")
        clock.step(.seconds(1))
        #expect(eventually { clock.sleepers == 1 })
        #expect(q.count == 0, "second failure waits 2 s")
        clock.step(.seconds(1))
        #expect(eventually { q.count == 1 })
        q.forget("a")
        #expect(q.numRequeues("a") == 0)
        #expect(q.metrics().retries == 2)
    }
}
