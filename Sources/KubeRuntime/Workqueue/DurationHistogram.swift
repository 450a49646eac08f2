/// A histogram of durations with client-go's workqueue buckets: upper bounds of 10 ns, 100 ns,
/// 1 µs, … 1000 s (`prometheus.ExponentialBuckets(10e-9, 10, 12)`), plus an overflow bucket.
public struct DurationHistogram: Sendable, Hashable {
    /// The upper bound of each bucket; `bucketCounts` has one more entry (overflow).
    public static let upperBounds: [Duration] = (0..<12).map { .nanoseconds(10 * pow10($0)) }

    /// Observations per bucket (not cumulative); the last entry counts values above 1000 s.
    public private(set) var bucketCounts: [UInt64] = Array(repeating: 0, count: 13)
    /// Number of observations.
    public private(set) var count: UInt64 = 0
    /// Sum of all observations.
    public var sum: Duration { .nanoseconds(Int64(clamping: sumNanos)) }
    /// Largest observation.
    public var maximum: Duration { .nanoseconds(Int64(clamping: maxNanos)) }

    private var sumNanos: UInt64 = 0
    private var maxNanos: UInt64 = 0

    public init() {}

    @usableFromInline
    mutating func observe(nanoseconds value: UInt64) {
        // The bounds are 10 ns × 10ⁿ: multiplied out rather than read from a table (a lazy
        // global) — this runs twice per work-queue cycle.
        var bucket = 0
        var bound: UInt64 = 10
        while bucket < 12 && value > bound {
            bucket += 1
            bound &*= 10
        }
        bucketCounts[bucket] &+= 1
        count &+= 1
        sumNanos &+= value
        if value > maxNanos { maxNanos = value }
    }

    private static func pow10(_ n: Int) -> Int64 {
        var v: Int64 = 1
        for _ in 0..<n { v *= 10 }
        return v
    }
}
