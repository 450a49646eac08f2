
/// A clock that only moves when told to (client-go's `clock/testing.FakeClock`).
///
/// `step(_:)` wakes every object that registered with the clock, so delayed items, leases
/// and rate limits become due exactly when a test advances time.
public final class ManualRuntimeClock: RuntimeClock {
    private struct State {
        var now: UInt64
        var wallOffset: Double
        var waiters: [ConditionLock] = []
        /// The deadline of every thread blocked in `wait(on:deadline:)`, one entry each.
        var sleeping: [UInt64] = []
    }

    private let state: Locked<State>

    /// Starts at `start` nanoseconds (monotonic) and at `wallSeconds` since 1970.
    public init(start: UInt64 = 1_000_000_000, wallSeconds: Double = 1_800_000_000) {
        state = Locked(State(now: start, wallOffset: wallSeconds - Double(start) / 1e9))
    }

    public func nanoseconds() -> UInt64 { state.withLock { $0.now } }

    public func wallSeconds() -> Double {
        state.withLock { $0.wallOffset + Double($0.now) / 1e9 }
    }

    public func register(_ condition: ConditionLock) {
        state.withLock { s in
            if !s.waiters.contains(where: { $0 === condition }) { s.waiters.append(condition) }
        }
    }

    public func wait(on condition: ConditionLock, deadline: UInt64) {
        // Time only moves in `step`, which broadcasts every registered condition.
        if nanoseconds() >= deadline { return }
        state.withLock { $0.sleeping.append(deadline) }
        condition.wait()
        state.withLock { s in
            if let i = s.sleeping.firstIndex(of: deadline) { s.sleeping.remove(at: i) }
        }
    }

    /// How many threads sleep on this clock until a moment still ahead. A test steps time
    /// once every thread it drives has parked again (k8s.io/utils' fake clock has the same
    /// `HasWaiters`): stepping earlier would hand a busy thread two periods at once.
    public var sleepers: Int {
        state.withLock { s in s.sleeping.count { $0 > s.now } }
    }

    /// Moves time forward by `duration` and wakes every registered waiter.
    public func step(_ duration: Duration) {
        let waiters = state.withLock { s -> [ConditionLock] in
            s.now &+= UInt64(max(0, duration.nanosecondsClamped))
            return s.waiters
        }
        // Taken one at a time and never while holding `state`: waiters register while holding
        // their own lock, so holding both here could deadlock.
        for condition in waiters {
            condition.withLock { condition.broadcast() }
        }
    }
}
