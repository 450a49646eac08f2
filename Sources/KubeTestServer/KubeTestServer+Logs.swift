import Foundation
import KubeCore

/// Container logs: there is no kubelet, so tests write the lines `pods/log` serves.
/// Over HTTP: `POST /_testserver/logs` (see `APIHandler+Control`).
extension KubeTestServer {
    /// Appends `line` (several lines if it contains line breaks) to the log of `container`
    /// (nil: the pod's only container) of the pod as it exists now. Readers with
    /// `follow=true` receive it at once. Throws the API's `Status`: 404 for a missing pod,
    /// 400 for an unknown or ambiguous container. With `previous`, the line goes to the log of
    /// the container's terminated predecessor, which `previous=true` reads (without any such
    /// line that read is the kubelet's 400).
    public func appendLog(namespace: String = "default", pod: String, container: String? = nil, line: String,
                          previous: Bool = false) throws {
        try Self.appendLog(cluster: cluster, namespace: namespace, pod: pod, container: container, line: line, previous: previous)
    }

    static func appendLog(cluster: Cluster, namespace: String, pod: String, container: String?, line: String,
                          previous: Bool = false) throws(Status) {
        guard let resource = cluster.registry.resource(apiVersion: "v1", kind: "Pod") else {
            throw Status.badRequest("pods are not served")
        }
        let object = try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.get(resource, namespace: namespace, name: pod)
        }
        let name = try PodContainers.resolve(container, in: object)
        cluster.podLogs.append(PodLogs.Key(podUID: object.uid, container: name, previous: previous), text: line)
    }
}
