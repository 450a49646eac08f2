import KubeCore
import Testing
@testable import KubeClient

/// Issue 11, item 5: a tiny qps used to trap on the first rate-limited request (a 1e12 s
/// wait overflowed its nanosecond count).
@Suite("Token bucket rate limiter")
struct RateLimiterTests {
    @Test("a tiny qps gives a clamped wait instead of trapping")
    func tinyQPS() {
        let limiter = TokenBucketRateLimiter(qps: 1e-12, burst: 1)
        #expect(limiter.reserve() == .zero)
        let wait = limiter.reserve()
        #expect(wait > .zero)
        #expect(wait <= .seconds(TokenBucketRateLimiter.maxWaitSeconds))
    }

    @Test("a rate-limited wait stays cancellable")
    func cancellable() {
        let limiter = TokenBucketRateLimiter(qps: 1e-12, burst: 1)
        _ = limiter.reserve()
        let token = CancellationToken()
        token.cancel()
        #expect(throws: KubeError.self) { try limiter.acquire(cancellation: token) }
    }

    @Test("wait computation saturates for non-finite quotients")
    func waitSeconds() {
        let longest = Duration.seconds(TokenBucketRateLimiter.maxWaitSeconds)
        #expect(TokenBucketRateLimiter(qps: 0, burst: 1).reserve() == .zero)
        #expect(TokenBucketRateLimiter(qps: .nan, burst: 1).reserve() == .zero)
        let zero = TokenBucketRateLimiter(qps: 0, burst: 1)
        _ = zero.reserve()
        #expect(zero.reserve() == longest)
        let clock = ManualRuntimeClock()
        let four = TokenBucketRateLimiter(qps: 4, burst: 1, clock: clock)
        _ = four.reserve()
        _ = four.reserve()
        #expect(four.reserve() == .milliseconds(500))
    }
}
