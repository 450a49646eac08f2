#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's monotonic time in nanoseconds: what `SystemRuntimeClock` reads and
/// `ConditionLock` waits on. Code that a test should be able to drive takes an injected
/// `RuntimeClock` instead of calling this directly.
public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public static func seconds() -> Double {
        Double(nanoseconds()) / 1e9
    }

    /// The longest wait or period the library computes with (about 31.7 years). Caller
    /// input beyond it is clamped: converting a larger count of seconds to nanoseconds
    /// overflows `UInt64`/`Int64` and traps (issue 11, item 5).
    public static let maxSeconds: Double = 1e9

    /// `seconds` as nanoseconds, never trapping: NaN and negatives give 0, anything above
    /// `maxSeconds` (infinity included) gives `maxSeconds`.
    public static func nanoseconds(saturatingSeconds seconds: Double) -> UInt64 {
        guard seconds > 0 else { return 0 }
        return UInt64(min(seconds, maxSeconds) * 1e9)
    }

    /// The monotonic deadline `seconds` from now, never trapping or wrapping.
    @available(*, deprecated, renamed: "deadline(after:)")
    public static func deadline(afterSeconds seconds: Double) -> UInt64 {
        let (sum, overflow) = nanoseconds().addingReportingOverflow(nanoseconds(saturatingSeconds: seconds))
        return overflow ? .max : sum
    }

    /// The monotonic deadline `duration` from now, never trapping or wrapping; negative
    /// durations give now.
    public static func deadline(after duration: Duration) -> UInt64 {
        SystemRuntimeClock().deadline(after: duration)
    }

    /// The monotonic deadline `milliseconds` from now, never trapping or wrapping.
    public static func deadline(afterMilliseconds milliseconds: Int64) -> UInt64 {
        deadline(after: .milliseconds(milliseconds))
    }
}
