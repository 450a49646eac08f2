#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How often and how long `retryOnConflict` and `retryOnError` wait: client-go's `wait.Backoff`
/// as `retry.DefaultRetry` uses it.
///
/// The body runs at most `steps` times. Between two runs the wait is `duration`, multiplied by
/// `factor` after each wait, and stretched by a random fraction in `0..<jitter` of itself
/// (client-go's `wait.Jitter`).
public struct RetryBackoff: Sendable, Hashable {
    /// Attempts in all, the first one included (at least 1).
    public var steps: Int
    /// The first wait.
    public var duration: Duration
    /// Multiplies the wait after each retry (1 keeps it constant).
    public var factor: Double
    /// Random stretch of each wait, as a fraction of it (0 disables it).
    public var jitter: Double

    public init(steps: Int, duration: Duration, factor: Double = 1.0, jitter: Double = 0) {
        self.steps = steps
        self.duration = duration
        self.factor = factor
        self.jitter = jitter
    }

    /// client-go's `retry.DefaultRetry`: 5 attempts, 10 ms apart, jitter 0.1. Meant for
    /// conflicts between writers of one object, which clear up quickly.
    public static let defaultRetry = RetryBackoff(steps: 5, duration: .milliseconds(10), factor: 1.0, jitter: 0.1)

    /// client-go's `retry.DefaultBackoff`: 4 attempts from 10 ms, growing 5-fold, jitter 0.1.
    /// Meant for errors that take longer to clear (e.g. a webhook that is not up yet).
    public static let defaultBackoff = RetryBackoff(steps: 4, duration: .milliseconds(10), factor: 5.0, jitter: 0.1)

    /// The waits between consecutive attempts (`steps - 1` of them); `random` yields values in 0..<1.
    func delays(random: () -> Double) -> [Duration] {
        var delays: [Duration] = []
        var current = duration
        for _ in 1..<max(steps, 1) {
            delays.append(jitter > 0 ? current * (1 + jitter * random()) : current)
            current = current * factor
        }
        return delays
    }
}

/// Runs `body` again while it fails with a 409 Conflict, waiting between attempts as `backoff`
/// says (client-go's `retry.RetryOnConflict`).
///
/// Use it around a read-modify-write: `body` must get the object afresh on every attempt, change
/// it and update it, so that each retry works on the latest resourceVersion:
///
/// ```swift
/// try retryOnConflict {
///     var configMap = try configMaps.get("settings")
///     configMap.object["data"] = ["mode": "fast"]
///     _ = try configMaps.update(configMap)
/// }
/// ```
///
/// Returns what `body` returns. Any other error is thrown at once; after `backoff.steps`
/// conflicting attempts the last Conflict is thrown. `sleep` waits between attempts (injected
/// so tests control time); it blocks the calling thread by default.
public func retryOnConflict<Result, Failure: Error>(
    _ backoff: RetryBackoff = .defaultRetry,
    sleep: (Duration) -> Void = blockingSleep,
    _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    try retryOnError(backoff, sleep: sleep, isRetriable: { ($0 as? KubeError)?.isConflict == true }, body)
}

/// Runs `body` again while it fails with an error `isRetriable` accepts, waiting between
/// attempts as `backoff` says (client-go's `retry.OnError`).
///
/// Returns what `body` returns. An error `isRetriable` rejects is thrown at once; after
/// `backoff.steps` attempts the last error is thrown.
public func retryOnError<Result, Failure: Error>(
    _ backoff: RetryBackoff = .defaultBackoff,
    sleep: (Duration) -> Void = blockingSleep,
    isRetriable: (any Error) -> Bool,
    _ body: () throws(Failure) -> Result
) throws(Failure) -> Result {
    // Drawn up front: the waits do not depend on the errors.
    var delays = backoff.delays(random: { Double.random(in: 0..<1) })[...]
    while true {
        do {
            return try body()
        } catch {
            guard isRetriable(error), let delay = delays.popFirst() else { throw error }
            sleep(delay)
        }
    }
}

/// Blocks the calling thread for `duration` (the default `sleep` of `retryOnConflict`).
@usableFromInline
func blockingSleep(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    guard seconds > 0 || attoseconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    // nanosleep stops early when a signal arrives; sleep the rest.
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
