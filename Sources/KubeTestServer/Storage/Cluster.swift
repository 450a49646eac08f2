import KubeCore

/// The cluster's objects behind one lock. All API semantics live in `ClusterState`;
/// this type only serializes access.
final class Cluster: Sendable {
    let registry: ResourceRegistry
    /// Container logs written by tests; kept outside the state lock (they have no resourceVersion).
    let podLogs = PodLogs()
    /// Exec and attach handlers registered by tests (`KubeTestServer+Exec`).
    let streamHandlers = StreamHandlers()
    /// Pod port -> TCP endpoint for `pods/portforward` (no kubelet: tests and the CLI register them).
    let portForwards = PortForwardRegistry()
    private let state: Locked<ClusterState>

    init(registry: ResourceRegistry, historyLimit: Int) {
        self.registry = registry
        self.state = Locked(ClusterState(registry: registry, historyLimit: historyLimit))
    }

    func withState<R: Sendable>(_ body: (inout ClusterState) throws(Status) -> R) throws(Status) -> R {
        try state.withLock { (s: inout ClusterState) throws(Status) -> R in try body(&s) }
    }

    func read<R: Sendable>(_ body: (inout ClusterState) -> R) -> R {
        state.withLock { body(&$0) }
    }

    var resourceVersion: Int64 { read { $0.resourceVersion } }

    func nextWatcherID() -> Int {
        read { s in
            defer { s.nextWatcherID += 1 }
            return s.nextWatcherID
        }
    }

    func removeWatcher(_ watcher: Watcher) {
        _ = read { $0.removeWatcher(id: watcher.id, storageKey: watcher.resource.storageKey) }
    }

    /// Ends every watch stream (the fault "close all watches").
    func closeAllWatches(abrupt: Bool) {
        let all = read { s in
            let list = s.allWatchers
            s.watchers = [:]
            return list
        }
        for watcher in all { watcher.sink.finish(abrupt: abrupt) }
    }

    func compact() { read { $0.compact() } }
}
