import KubeCore

/// Exponential backoff with jitter for the watcher's retries (client-go's defaults:
/// 800 ms doubling to 30 s, jitter up to +100 %, reset after 2 minutes without failures).
///
/// Time and randomness are injected so tests control them.
public struct Backoff: Sendable {
    /// The first delay, and the delay again after `resetInterval` without failures.
    public var initialDelay: Duration
    /// The delay stops growing here (before jitter).
    public var maxDelay: Duration
    public var factor: Double
    /// Each delay is stretched by up to `jitter` × itself, at random.
    public var jitter: Double
    /// After this long without a failure the next delay starts from `initialDelay` again.
    public var resetInterval: Duration
    var random: @Sendable () -> Double

    // Nanoseconds as Double: factor and jitter scale them, and `Duration`'s own arithmetic
    // traps on overflow where `clamped` saturates. nil: the next delay is `initialDelay`
    // (so changing it before the first failure takes effect).
    private var current: Double?
    private var lastFailure: UInt64?

    public init(
        initialDelay: Duration = .milliseconds(800), maxDelay: Duration = .seconds(30), factor: Double = 2,
        jitter: Double = 1.0, resetInterval: Duration = .seconds(120),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.factor = factor
        self.jitter = jitter
        self.resetInterval = resetInterval
        self.random = random
    }

    /// The delay to wait after a failure at monotonic time `now` (a `RuntimeClock`'s
    /// `nanoseconds()`).
    public mutating func next(atNanoseconds now: UInt64) -> Duration {
        if let lastFailure, now >= lastFailure, now - lastFailure >= UInt64(max(0, resetInterval.nanosecondsClamped)) {
            current = nil
        }
        lastFailure = now
        let base = current ?? Double(initialDelay.nanosecondsClamped)
        let maximum = Double(maxDelay.nanosecondsClamped)
        current = min(base * factor, maximum)
        return Self.clamped(nanoseconds: min(base * (1 + jitter * random()), maximum * (1 + jitter)))
    }

    /// Rounded to whole nanoseconds; NaN and negatives give zero, the rest at most
    /// `MonotonicClock.maxSeconds`.
    private static func clamped(nanoseconds: Double) -> Duration {
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64(min(nanoseconds, MonotonicClock.maxSeconds * 1e9).rounded()))
    }

    /// Forgets past failures.
    public mutating func reset() {
        current = nil
        lastFailure = nil
    }
}
