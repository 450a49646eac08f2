import KubeCore

/// Polls `condition` until it holds or `seconds` pass; returns the last result. Tests await a
/// state with it instead of sleeping a fixed time; the bound only limits how long a failing
/// test hangs, it is never what a passing test measures.
public func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.seconds() + seconds
    let pause = ConditionLock()
    while MonotonicClock.seconds() < deadline {
        if condition() { return true }
        pause.withLock { _ = pause.wait(timeout: .milliseconds(1)) }
    }
    return condition()
}

/// `eventually` for async tests (chosen by `await eventually { ... }`): sleeps as a task between
/// polls instead of blocking a thread of the cooperative pool.
public func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.seconds() + seconds
    while MonotonicClock.seconds() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}
