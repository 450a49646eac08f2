import KubeClient
import KubeCore
import Synchronization

/// Starts an informer's threads and counts those still running, so tests (and `stop()`'s
/// contract, "every thread it started is joined") can be checked.
final class ThreadTracker: Sendable {
    private let running = Atomic<Int>(0)

    /// Threads started by this tracker that have not returned yet.
    var count: Int { running.load(ordering: .acquiring) }

    func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(KubeError) -> KubeThread {
        running.add(1, ordering: .relaxed)
        do throws(ThreadError) {
            return try KubeThread.spawn(name: name) { [self] in
                body()
                running.subtract(1, ordering: .releasing)
            }
        } catch {
            running.subtract(1, ordering: .relaxed)
            throw .invalidArgument(error.description)
        }
    }
}
