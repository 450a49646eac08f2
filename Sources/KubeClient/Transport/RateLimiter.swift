import Synchronization

/// Client-side token bucket (client-go's `flowcontrol.NewTokenBucketRateLimiter`).
///
/// `qps` tokens are added per second up to `burst`; each request takes one, waiting for it
/// when the bucket is empty. Waiters reserve their token under the lock and sleep outside
/// it, so the order is first come, first served.
final class TokenBucketRateLimiter: Sendable {
    private struct State {
        var tokens: Double
        var last: ContinuousClock.Instant
    }

    private let qps: Double
    private let burst: Double
    private let state: Mutex<State>

    /// `qps` must be > 0 (callers treat <= 0 as "no limiter"); a non-finite or tiny qps
    /// does not trap, its waits are clamped to `maxWaitSeconds`.
    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = Double(max(1, burst))
        state = Mutex(State(tokens: Double(max(1, burst)), last: .now))
    }

    /// How long the caller must wait for its token (it is reserved already).
    func reserve(now: ContinuousClock.Instant = .now) -> Duration {
        state.withLock { state in
            let elapsed = now - state.last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds > 0 {
                state.tokens = min(burst, state.tokens + seconds * qps)
                state.last = now
            }
            state.tokens -= 1
            if state.tokens >= 0 { return .zero }
            return .seconds(Self.waitSeconds(deficit: -state.tokens, qps: qps))
        }
    }

    /// The longest wait ever computed (about 31 years): a tiny qps such as 1e-12 asks for
    /// longer waits than `Duration` or a nanosecond count can hold, and converting those
    /// traps (issue 11, item 5). Nobody waits that long in practice; the wait stays
    /// cancellable.
    static let maxWaitSeconds: Double = 1e9

    /// `deficit / qps` seconds, clamped to `0...maxWaitSeconds` (NaN → the maximum).
    static func waitSeconds(deficit: Double, qps: Double) -> Double {
        let seconds = deficit / qps
        guard seconds.isFinite else { return maxWaitSeconds }
        return min(max(0, seconds), maxWaitSeconds)
    }

    /// Blocks until a token is available; throws when the token is cancelled meanwhile.
    func acquire(cancellation: CancellationToken?) throws(KubeError) {
        let wait = reserve()
        guard wait > .zero else { return }
        // Saturating: `seconds * 1e9` overflows Int64 for waits beyond ~292 years.
        let (scaled, overflow) = wait.components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, carry) = UInt64(clamping: scaled)
            .addingReportingOverflow(UInt64(clamping: wait.components.attoseconds / 1_000_000_000))
        let nanos = overflow || carry ? UInt64.max : sum
        if !CancellationToken.sleep(nanoseconds: nanos, token: cancellation) {
            throw .transport(TransportError(kind: .cancelled, message: "request cancelled while rate limited"))
        }
    }
}
