import KubeRuntime
import Testing

@Suite("Rate limiter settings (the C and Python options)")
struct RateLimiterSettingsTests {
    @Test("unset parameters take client-go's defaults, for each kind")
    func defaults() {
        let exponential: any ItemRateLimiter<String> = RateLimiterSettings(kind: .exponential).makeLimiter()
        #expect(exponential.when("a") == .milliseconds(5))
        #expect(exponential.when("a") == .milliseconds(10))

        let fastSlow: any ItemRateLimiter<String> = RateLimiterSettings(kind: .fastSlow).makeLimiter()
        let delays = (0..<6).map { _ in fastSlow.when("a") }
        #expect(delays.prefix(5).allSatisfy { $0 == .milliseconds(5) })
        #expect(delays[5] == .seconds(10))

        let bucket: any ItemRateLimiter<String> = RateLimiterSettings(kind: .bucket).makeLimiter()
        let burst = (0..<100).map { _ in bucket.when("a") }
        #expect(burst.allSatisfy { $0 == .zero }, "a burst of 100 waits for nothing")
        #expect(bucket.when("a") > .zero, "the 101st waits for a token")

        let controller: any ItemRateLimiter<String> = RateLimiterSettings().makeLimiter()
        #expect(controller.when("a") == .milliseconds(5))
    }

    @Test("given parameters replace the defaults")
    func given() {
        let limiter: any ItemRateLimiter<String> = RateLimiterSettings(
            kind: .exponential, baseDelay: .milliseconds(1), maxDelay: .milliseconds(3)).makeLimiter()
        #expect([limiter.when("k"), limiter.when("k"), limiter.when("k")] == [.milliseconds(1), .milliseconds(2), .milliseconds(3)])
        let fastSlow: any ItemRateLimiter<String> = RateLimiterSettings(
            kind: .fastSlow, fastDelay: .milliseconds(2), slowDelay: .seconds(1), maxFastAttempts: 1).makeLimiter()
        #expect([fastSlow.when("k"), fastSlow.when("k")] == [.milliseconds(2), .seconds(1)])
    }
}
