/// Port-forward targets: there is no kubelet, so tests say which TCP endpoint answers for a pod port.
/// The CLI flag `--port-forward default/web:8080=127.0.0.1:9000` does the same.
extension KubeTestServer {
    /// Makes `pods/portforward` to `pod:port` in `namespace` connect to `host:targetPort`.
    /// Registering the same pod port again replaces its target. A pod port nobody registered
    /// fails on the error channel/stream, as a kubelet does when nothing listens there.
    public func registerPortForward(namespace: String = "default", pod: String, port: Int, to host: String, port targetPort: Int) {
        cluster.portForwards.register(namespace: namespace, pod: pod, port: port,
                                      target: PortForwardRegistry.Target(host: host, port: targetPort))
    }

    /// `registerPortForward` for a parsed `--port-forward` mapping.
    public func registerPortForward(_ mapping: PortForwardMapping) {
        registerPortForward(namespace: mapping.namespace, pod: mapping.pod, port: mapping.port,
                            to: mapping.host, port: mapping.targetPort)
    }
}
