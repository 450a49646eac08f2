import KubeCore

/// Runs exec and attach commands on threads of the test server's own, not on Swift's
/// cooperative pool.
///
/// The cooperative pool has one thread per core (two on a small CI machine). A test that
/// starts the server in-process and then blocks a pool thread waiting for a command's output
/// (any synchronous client call made from a Swift Testing test does) would leave the command
/// no thread to run on: both sides wait for ever. kube-apiserver's commands run in processes
/// of their own; these threads are the in-process equivalent.
///
/// `@unchecked Sendable`: `jobs` is guarded by `lock`; the threads never end (process-wide,
/// like the cooperative pool itself).
final class StreamTaskExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = StreamTaskExecutor(threads: 4)

    private let lock = ConditionLock()
    private var jobs: [UnownedJob] = []
    private var head = 0

    private init(threads: Int) {
        for index in 0..<threads {
            // Nothing to fall back to without a thread: the commands could never run.
            _ = try? KubeThread.spawn(name: "testserver-exec-\(index)", systemName: "ts-exec-\(index)") { [self] in
                serve()
            }
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        lock.withLock {
            jobs.append(unowned)
            lock.signal()
        }
    }

    private func serve() {
        while true {
            let job = lock.withLock { () -> UnownedJob in
                while head == jobs.count { lock.wait() }
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                return job
            }
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
