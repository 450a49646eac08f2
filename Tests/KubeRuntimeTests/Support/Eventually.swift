import KubeCore

// Shared by the informer and workqueue tests (one test module, one definition).

/// Polls `condition` until it holds or `timeout` seconds pass; returns the last result.
/// Tests use it to await a state instead of sleeping for a fixed time.
func eventually(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.seconds() + timeout
    let pause = ConditionLock()
    while MonotonicClock.seconds() < deadline {
        if condition() { return true }
        pause.withLock { _ = pause.wait(seconds: 0.001) }
    }
    return condition()
}
