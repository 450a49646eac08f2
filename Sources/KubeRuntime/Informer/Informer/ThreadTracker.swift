import KubeClient
import KubeCore
import Synchronization

/// Starts an informer's threads and counts those still running, so tests (and `stop()`'s
/// contract, "every thread it started is joined") can be checked.
final class ThreadTracker: Sendable {
    private let running = Atomic<Int>(0)
    /// The threads started that may still run (finished ones are pruned on each spawn).
    private let started = Locked<[KubeThread]>([])

    /// True on one of this tracker's threads (inside a callback of its informer).
    var containsCurrentThread: Bool { started.withLock { KubeThread.isAnyCurrent($0) } }

    /// Threads started by this tracker that have not returned yet.
    var count: Int { running.load(ordering: .acquiring) }

    func spawn(name: String, systemName: String? = nil,
               _ body: @escaping @Sendable () -> Void) throws(KubeError) -> KubeThread {
        running.add(1, ordering: .relaxed)
        do throws(ThreadError) {
            let thread = try KubeThread.spawn(name: name, systemName: systemName) { [self] in
                body()
                running.subtract(1, ordering: .releasing)
            }
            started.withLock { list in
                list.removeAll { $0.isFinished }
                list.append(thread)
            }
            return thread
        } catch {
            running.subtract(1, ordering: .relaxed)
            throw .system(error.description)
        }
    }
}
