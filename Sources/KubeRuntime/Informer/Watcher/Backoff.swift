/// Exponential backoff with jitter for the watcher's retries (client-go's defaults:
/// 800 ms doubling to 30 s, jitter up to +100 %, reset after 2 minutes without failures).
///
/// Time and randomness are injected so tests control them.
public struct Backoff: Sendable {
    public var initial: Double
    public var maximum: Double
    public var factor: Double
    /// Each delay is stretched by up to `jitter` × itself, at random.
    public var jitter: Double
    /// After this long without a failure the next delay starts from `initial` again.
    public var resetAfter: Double
    var random: @Sendable () -> Double

    private var current: Double
    private var lastFailure: Double?

    public init(
        initial: Double = 0.8, maximum: Double = 30, factor: Double = 2, jitter: Double = 1.0, resetAfter: Double = 120,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.initial = initial
        self.maximum = maximum
        self.factor = factor
        self.jitter = jitter
        self.resetAfter = resetAfter
        self.random = random
        self.current = initial
    }

    /// The delay to wait after a failure at time `now` (seconds, monotonic).
    public mutating func next(now: Double) -> Double {
        if let lastFailure, now - lastFailure >= resetAfter { current = initial }
        lastFailure = now
        let base = current
        current = min(current * factor, maximum)
        return min(base * (1 + jitter * random()), maximum * (1 + jitter))
    }

    /// Forgets past failures.
    public mutating func reset() {
        current = initial
        lastFailure = nil
    }
}
