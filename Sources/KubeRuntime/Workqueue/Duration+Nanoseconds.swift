extension Duration {
    /// Whole nanoseconds, clamped to `Int64`'s range.
    @usableFromInline var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// The duration in seconds as a `Double`.
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration from a count of seconds (negative and NaN become zero).
    static func seconds(clamping seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        if seconds >= 9e9 { return .seconds(Int64(9e9)) }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
