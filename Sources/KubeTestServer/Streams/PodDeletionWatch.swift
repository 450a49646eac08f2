import KubeCore

/// Notices the deletion of one pod instance, as a kubelet notices its containers being killed:
/// attach and exec sessions end with it, as followed logs do.
enum PodDeletionWatch {
    /// Calls `onDelete` once when the pod with `uid` is deleted (at once if it is already gone).
    /// Returns what undoes the registration.
    static func start(cluster: Cluster, namespace: String, pod: String, uid: String,
                      onDelete: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        guard let resource = cluster.registry.resource(apiVersion: "v1", kind: "Pod") else { return {} }
        let names = FieldSelector(requirements: [FieldRequirement(field: "metadata.name", op: .equals, value: pod)])
        let watcher = Watcher(id: cluster.nextWatcherID(), resource: resource, namespace: namespace,
                              labelSelector: .everything, fieldSelector: names, sink: DeletionSink(onDelete: onDelete))
        let storageKey = resource.storageKey
        // Checked and registered under the cluster lock: a deletion is either seen here or delivered.
        let alive = cluster.read { s in
            guard s.object(storageKey, namespace + "/" + pod)?.uid == uid else { return false }
            s.addWatcher(watcher)
            return true
        }
        guard alive else {
            onDelete()
            return {}
        }
        return { cluster.removeWatcher(watcher) }
    }
}

/// Receives the pod's watch events (encoded, under the cluster lock) and reports its DELETED event.
private final class DeletionSink: WatchSink, Sendable {
    private static let deletedPrefix = Array(#"{"type":"DELETED""#.utf8)
    let onDelete: @Sendable () -> Void

    init(onDelete: @escaping @Sendable () -> Void) { self.onDelete = onDelete }

    func send(_ bytes: [UInt8]) {
        if bytes.starts(with: Self.deletedPrefix) { onDelete() }
    }

    /// All watches were closed (fault injection, server stop): the session keeps running; a
    /// stopping server closes its connection anyway.
    func finish(abrupt: Bool) {}

    func resume() {}

    func blackhole() {}
}
