import KubeCore

/// Client-side token bucket (client-go's `flowcontrol.NewTokenBucketRateLimiter`).
///
/// `qps` tokens are added per second up to `burst`; each request takes one, waiting for it
/// when the bucket is empty. Waiters reserve their token under the lock and sleep outside
/// it, so the order is first come, first served.
final class TokenBucketRateLimiter: Sendable {
    private let clock: any RuntimeClock
    private let bucket: Locked<TokenBucket>

    /// `qps` must be > 0 (callers treat <= 0 as "no limiter"); a non-finite or tiny qps
    /// does not trap, its waits are clamped to `maxWaitSeconds`.
    init(qps: Double, burst: Int, clock: any RuntimeClock = SystemRuntimeClock()) {
        self.clock = clock
        bucket = Locked(TokenBucket(qps: qps, burst: Double(max(1, burst)), now: clock.nanoseconds()))
    }

    /// How long the caller must wait for its token (it is reserved already).
    func reserve() -> Duration {
        let now = clock.nanoseconds()
        return bucket.withLock { $0.reserve(now: now) }
    }

    /// The longest wait ever computed (about 31 years): a tiny qps such as 1e-12 asks for
    /// longer waits than `Duration` or a nanosecond count can hold, and converting those
    /// traps (issue 11, item 5). Nobody waits that long in practice; the wait stays
    /// cancellable.
    static let maxWaitSeconds: Double = MonotonicClock.maxSeconds

    /// Blocks until a token is available; throws when the token is cancelled meanwhile.
    func acquire(cancellation: CancellationToken?) throws(KubeError) {
        let wait = reserve()
        guard wait > .zero else { return }
        if !CancellationToken.sleep(nanoseconds: UInt64(max(0, wait.nanosecondsClamped)), token: cancellation) {
            throw .transport(TransportError(kind: .cancelled, message: "request cancelled while rate limited"))
        }
    }
}
