extension Duration {
    /// Whole nanoseconds, clamped to `Int64`'s range (about 292 years either way): the
    /// conversion every wait and deadline goes through, so no caller-supplied duration traps.
    @inlinable public var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// The duration in seconds as a `Double` (for rates such as tokens per second).
    @inlinable public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A duration from a count of seconds: negative and NaN become zero, anything above
    /// `MonotonicClock.maxSeconds` (infinity included) becomes that maximum.
    public static func seconds(clamping seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        if seconds >= MonotonicClock.maxSeconds { return .seconds(Int64(MonotonicClock.maxSeconds)) }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
