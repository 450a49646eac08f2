/// The attachable "main process" of every container unless a test registers another: it
/// echoes stdin to stdout (like `cat`) and writes each line appended to the container's log
/// (`KubeTestServer.appendLog`) to stdout, as a process writing its log would. With stdin it
/// ends when the client closes stdin; without, when the client detaches or the pod is deleted.
enum DefaultAttach {
    /// Subscribes to the container's log at once (before the client hears the session is up, so
    /// a line appended after that is never missed); the handler unsubscribes when it ends.
    static func handler(podLogs: PodLogs, podUID: String, container: String) -> ExecHandler {
        let (lines, continuation) = AsyncStream<[UInt8]>.makeStream()
        var options = PodLogs.ReadOptions()
        options.tailLines = 0  // only what is written from now on
        let id = podLogs.follow(PodLogs.Key(podUID: podUID, container: container), options: options,
                                sink: LogLineSink(continuation))
        return { call in
            defer {
                podLogs.unfollow(id)
                continuation.finish()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await chunk in lines { try await call.stdout.write(chunk) }
                }
                if call.stdin.isOpen {
                    group.addTask {
                        for await chunk in call.stdin { try await call.stdout.write(chunk) }
                    }
                }
                // The first to end (stdin closed, or cancellation) ends the process.
                try await group.next()
                group.cancelAll()
            }
            return 0
        }
    }
}

/// Hands followed log lines to the attach process (called under the log lock: only yields).
private final class LogLineSink: WatchSink, Sendable {
    let continuation: AsyncStream<[UInt8]>.Continuation

    init(_ continuation: AsyncStream<[UInt8]>.Continuation) { self.continuation = continuation }

    func send(_ bytes: [UInt8]) { continuation.yield(bytes) }

    func finish(abrupt: Bool) { continuation.finish() }

    func resume() {}

    func blackhole() {}
}
