import Testing
@testable import KubeCore

@Suite("TokenBucket")
struct TokenBucketTests {
    private let second: UInt64 = 1_000_000_000

    /// Reservations (or takes) at the given times, in order.
    private func reserve(_ bucket: inout TokenBucket, at times: [UInt64]) -> [Duration] {
        times.map { bucket.reserve(now: $0) }
    }

    private func take(_ bucket: inout TokenBucket, at times: [UInt64]) -> [Bool] {
        times.map { bucket.take(now: $0) }
    }

    @Test("a full bucket gives a burst, then reservations are spaced at 1/qps")
    func burstThenSpacing() {
        var bucket = TokenBucket(qps: 10, burst: 3, now: 0)
        let waits = reserve(&bucket, at: [0, 0, 0, 0, 0])
        #expect(waits == [.zero, .zero, .zero, .milliseconds(100), .milliseconds(200)])
        // 300 ms later both debts are paid and one token has been earned.
        #expect(reserve(&bucket, at: [3 * second / 10]) == [.zero])
        #expect(bucket.tokens == 0)
    }

    @Test("take drops instead of going into debt, and refills up to burst only")
    func takeAndRefill() {
        var bucket = TokenBucket(qps: 1, burst: 2, now: 0)
        #expect(take(&bucket, at: [0, 0, 0]) == [true, true, false])
        #expect(bucket.tokens == 0)
        #expect(take(&bucket, at: [second]) == [true])
        // A long pause earns at most `burst`.
        #expect(take(&bucket, at: [1_000 * second, 1_000 * second, 1_000 * second]) == [true, true, false])
    }

    @Test("time going backwards earns nothing")
    func backwards() {
        var bucket = TokenBucket(qps: 1, burst: 1, now: 10 * second)
        #expect(take(&bucket, at: [10 * second, 5 * second, 11 * second]) == [true, false, true])
    }

    @Test("a zero, tiny or NaN qps gives the longest wait instead of trapping")
    func degenerateRates() {
        let longest = Duration.seconds(clamping: MonotonicClock.maxSeconds)
        for qps in [0, 1e-300, .nan] as [Double] {
            var bucket = TokenBucket(qps: qps, burst: 1, now: 0)
            #expect(reserve(&bucket, at: [0, 0]) == [.zero, longest], "qps \(qps)")
        }
        var fast = TokenBucket(qps: .infinity, burst: 1, now: 0)
        #expect(reserve(&fast, at: [0, 1]) == [.zero, .zero])
    }
}

@Suite("Duration conversions")
struct DurationConversionTests {
    @Test("nanosecondsClamped saturates; seconds(clamping:) maps NaN and negatives to zero")
    func clamping() {
        #expect(Duration.seconds(1.5).nanosecondsClamped == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).nanosecondsClamped == .max)
        #expect(Duration.seconds(Int64.min).nanosecondsClamped == .min)
        #expect(Duration.seconds(clamping: .nan) == .zero)
        #expect(Duration.seconds(clamping: -1) == .zero)
        #expect(Duration.seconds(clamping: .infinity) == .seconds(Int64(MonotonicClock.maxSeconds)))
        #expect(Duration.milliseconds(250).secondsDouble == 0.25)
        let now = MonotonicClock.nanoseconds()
        #expect(MonotonicClock.deadline(after: .seconds(Int64.max)) >= UInt64(Int64.max))   // saturates, never wraps
        #expect(MonotonicClock.deadline(after: .seconds(-5)) >= now)
    }
}
