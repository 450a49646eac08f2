import KubeCore

/// Polls `condition` until it holds or `seconds` pass; returns the last result. Tests await a
/// state with it instead of sleeping a fixed time; the bound only limits how long a failing
/// test hangs, it is never what a passing test measures.
public func eventually(within seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.seconds() + seconds
    let pause = ConditionLock()
    while MonotonicClock.seconds() < deadline {
        if condition() { return true }
        pause.withLock { _ = pause.wait(seconds: 0.001) }
    }
    return condition()
}

/// `eventually` for async tests: yields to other tasks between polls instead of blocking a thread.
public func eventually(within seconds: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = MonotonicClock.seconds() + seconds
    while MonotonicClock.seconds() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return await condition()
}
