/// When and how long the transport waits before resending a failed request.
///
/// Like client-go: a 429 or a 5xx carrying `Retry-After` is retried for any verb (the
/// server did not process it); 502/503/504 without `Retry-After` are retried for
/// idempotent verbs (GET, HEAD, PUT, DELETE, OPTIONS); a connection reset is retried for
/// GET/HEAD only. The wait is `Retry-After` when given (capped at `maxRetryAfter`), else
/// exponential backoff from `initialBackoff`, doubling up to `maxBackoff`, with ±`jitter`
/// fraction of random jitter. Streams are retried only before any byte was delivered.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (0 disables retries). Default 5.
    public var maxRetries: Int
    /// First backoff when the server gives no Retry-After. Default 200 ms.
    public var initialBackoff: Duration
    /// Backoff ceiling. Default 10 s.
    public var maxBackoff: Duration
    /// Upper bound honoured for a server's Retry-After. Default 30 s.
    public var maxRetryAfter: Duration
    /// Random jitter as a fraction of the backoff (0…1). Default 0.2.
    public var jitter: Double

    public init(maxRetries: Int = 5, initialBackoff: Duration = .milliseconds(200),
                maxBackoff: Duration = .seconds(10), maxRetryAfter: Duration = .seconds(30),
                jitter: Double = 0.2) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// The default policy described above.
    public static let `default` = RetryPolicy()
    /// Never retries.
    public static let none = RetryPolicy(maxRetries: 0)

    /// Backoff before retry number `attempt` (0-based), without Retry-After.
    func backoff(attempt: Int) -> Duration {
        var delay = initialBackoff
        var step = 0
        while step < attempt, delay < maxBackoff {
            delay = delay * 2
            step += 1
        }
        delay = min(delay, maxBackoff)
        if jitter > 0 {
            let factor = 1 + Double.random(in: -jitter...jitter)
            delay = delay * factor
        }
        return delay
    }

    /// The wait for a Retry-After header value (seconds or HTTP-date; dates fall back to backoff).
    func delay(retryAfter: String?, attempt: Int) -> Duration {
        if let retryAfter, let seconds = Int(retryAfter.trimmingSpaces), seconds >= 0 {
            return min(.seconds(seconds), maxRetryAfter)
        }
        return backoff(attempt: attempt)
    }
}

extension String {
    /// The string without leading/trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last.isNewline { slice.removeLast() }
        return slice
    }
}
