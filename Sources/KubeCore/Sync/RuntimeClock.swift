
/// The time source of workqueues, rate limiters, leader election and event recording.
///
/// Injected so that tests control time: production code uses `SystemRuntimeClock`, tests use
/// `ManualRuntimeClock` and step it. Durations are measured on `nanoseconds()` (monotonic);
/// `wallSeconds()` is only used for timestamps written to the API server.
public protocol RuntimeClock: Sendable {
    /// Monotonic time in nanoseconds.
    func nanoseconds() -> UInt64
    /// Seconds since 1970 (UTC), for timestamps written to objects.
    func wallSeconds() -> Double
    /// Called by every object that will wait on `condition` through this clock, before it
    /// first reads `nanoseconds()`; lets a manual clock wake it when time is stepped.
    func register(_ condition: ConditionLock)
    /// Waits on `condition` (whose lock the caller holds, and holds again on return) until it
    /// is signalled or the clock reaches `deadline`. May return early (spurious wake-ups).
    func wait(on condition: ConditionLock, deadline: UInt64)
}

extension RuntimeClock {
    /// Monotonic time in seconds.
    public func seconds() -> Double { Double(nanoseconds()) / 1e9 }

    /// The instant `duration` from now on this clock, never trapping or wrapping (negative
    /// durations give now).
    public func deadline(after duration: Duration) -> UInt64 {
        let (sum, overflow) = nanoseconds().addingReportingOverflow(UInt64(max(0, duration.nanosecondsClamped)))
        return overflow ? .max : sum
    }
}
