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
            return .seconds(-state.tokens / qps)
        }
    }

    /// Blocks until a token is available; throws when the token is cancelled meanwhile.
    func acquire(cancellation: CancellationToken?) throws(KubeError) {
        let wait = reserve()
        guard wait > .zero else { return }
        let nanos = UInt64(clamping: wait.components.seconds * 1_000_000_000 + wait.components.attoseconds / 1_000_000_000)
        if !CancellationToken.sleep(nanoseconds: nanos, token: cancellation) {
            throw .transport(TransportError(kind: .cancelled, message: "request cancelled while rate limited"))
        }
    }
}
