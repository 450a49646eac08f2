#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real clock: `CLOCK_MONOTONIC` for durations, `CLOCK_REALTIME` for timestamps.
public struct SystemRuntimeClock: RuntimeClock {
    public init() {}

    public func nanoseconds() -> UInt64 { MonotonicClock.nanoseconds() }

    public func wallSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public func register(_ condition: ConditionLock) {}

    public func wait(on condition: ConditionLock, deadline: UInt64) {
        condition.wait(deadlineNanos: deadline)
    }
}
