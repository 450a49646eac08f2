import KubeCore

/// Wires one `follow=true` log response: lines come from `PodLogs`, and a watch on the pod
/// ends the stream when the pod is gone (as a kubelet's stream ends with its container).
enum LogFollow {
    /// Registers the stream; returns what undoes the registrations (on disconnect).
    static func start(_ plan: LogFollowPlan, cluster: Cluster, stream: WatchStream) -> () -> Void {
        let names = FieldSelector(requirements: [FieldRequirement(field: "metadata.name", op: .equals, value: plan.name)])
        let watcher = Watcher(id: cluster.nextWatcherID(), resource: plan.resource, namespace: plan.namespace,
                              labelSelector: .everything, fieldSelector: names, sink: PodGoneSink(stream: stream))
        let podKey = plan.namespace + "/" + plan.name
        let storageKey = plan.resource.storageKey
        // Checked and registered under the cluster lock: a deletion after the log request was
        // answered is either seen here or delivered to the watcher.
        let alive = cluster.read { s in
            guard s.object(storageKey, podKey)?.uid == plan.key.podUID else { return false }
            s.addWatcher(watcher)
            return true
        }
        guard alive else {
            stream.finish(abrupt: false)
            return {}
        }
        let id = cluster.podLogs.follow(plan.key, options: plan.options, sink: stream)
        return {
            cluster.removeWatcher(watcher)
            cluster.podLogs.unfollow(id)
        }
    }
}

/// Receives the followed pod's watch events and ends the log stream at its DELETED event.
private final class PodGoneSink: WatchSink, Sendable {
    func blackhole() {}
    private static let deletedPrefix = Array(#"{"type":"DELETED""#.utf8)
    let stream: WatchStream

    init(stream: WatchStream) { self.stream = stream }

    func send(_ bytes: [UInt8]) {
        // Events arrive encoded (`encodeWatchEvent`); only the type at the front matters.
        if bytes.starts(with: Self.deletedPrefix) { stream.finish(abrupt: false) }
    }

    func finish(abrupt: Bool) { stream.finish(abrupt: abrupt) }

    func resume() { stream.resume() }
}
