import KubeCore
import KubeRuntime
import Synchronization

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
/// (Awaiting a condition, not sleeping a fixed time: returns as soon as it holds.)
func eventually(timeout: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = MonotonicClock.seconds() + timeout
    let pause = ConditionLock()
    while MonotonicClock.seconds() < deadline {
        if condition() { return true }
        pause.withLock { _ = pause.wait(seconds: 0.001) }
    }
    return condition()
}

/// Runs `body` on `count` library threads and joins them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) throws {
    let threads = try (0..<count).map { i in try KubeThread.spawn(name: "test-\(i)") { body(i) } }
    for thread in threads { thread.join() }
}

/// A thread-safe counter/flag box for tests.
final class Box<T: Sendable>: Sendable {
    let value: Mutex<T>
    init(_ value: T) { self.value = Mutex(value) }
    var current: T { value.withLock { $0 } }
    func update<R>(_ body: (inout T) -> R) -> R { value.withLock { body(&$0) } }
}
