import KubeCore

/// What a port-forward connection needs from the server: where pod ports lead, and the pod's uid
/// for kubelet-style error messages.
struct PortForwardContext: Sendable {
    let registry: PortForwardRegistry
    private let podUID: @Sendable (_ namespace: String, _ pod: String) -> String?

    init(registry: PortForwardRegistry, podUID: @escaping @Sendable (_ namespace: String, _ pod: String) -> String? = { _, _ in nil }) {
        self.registry = registry
        self.podUID = podUID
    }

    init(cluster: Cluster) {
        self.registry = cluster.portForwards
        self.podUID = { namespace, pod in
            guard let resource = cluster.registry.resource(apiVersion: "v1", kind: "Pod") else { return nil }
            return try? cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.get(resource, namespace: namespace, name: pod).uid
            }
        }
    }

    /// The target behind `pod:port`, or the kubelet-style message for a port nothing listens on.
    func resolve(namespace: String, pod: String, port: Int) -> Result<PortForwardRegistry.Target, PortForwardFailure> {
        if let target = registry.target(namespace: namespace, pod: pod, port: port) { return .success(target) }
        return .failure(failure(namespace: namespace, pod: pod, port: port,
                                reason: "failed to connect to localhost:\(port) inside the pod: connection refused "
                                    + "(no target registered; kubeclient-testserver --port-forward \(namespace)/\(pod):\(port)=HOST:PORT)"))
    }

    /// kubelet's wording: "error forwarding port 8080 to pod web, uid 1234…: <reason>".
    func failure(namespace: String, pod: String, port: Int, reason: String) -> PortForwardFailure {
        let uid = podUID(namespace, pod) ?? ""
        return PortForwardFailure(message: "error forwarding port \(port) to pod \(pod), uid \(uid): \(reason)")
    }
}

/// A message for a port-forward error channel or stream.
struct PortForwardFailure: Error, Sendable {
    let message: String
}
