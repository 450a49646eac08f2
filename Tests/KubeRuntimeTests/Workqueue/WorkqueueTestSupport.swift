import KubeCore
import KubeRuntime


/// Runs `body` on `count` library threads and joins them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) throws {
    let threads = try (0..<count).map { i in try KubeThread.spawn(name: "test-\(i)") { body(i) } }
    for thread in threads { thread.join() }
}

/// A thread-safe counter/flag box for tests.
final class Box<T: Sendable>: Sendable {
    let value: Locked<T>
    init(_ value: T) { self.value = Locked(value) }
    var current: T { value.withLock { $0 } }
    func update<R>(_ body: (inout T) -> R) -> R { value.withLock { body(&$0) } }
}
