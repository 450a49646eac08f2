import KubeCore

extension KubeClient {
    /// Opens one connection to `port` of the pod (`pods/portforward`, subprotocol
    /// `portforward.k8s.io`). Returns once the upgrade succeeded (a missing pod is thrown
    /// here); the pod side refusing the connection arrives as `read`'s error.
    /// `cancellation` ends the connection like `close()`.
    public func portForward(namespace: String, pod: String, port: UInt16,
                            cancellation: CancellationToken? = nil) throws(KubeError) -> PortForwardConnection {
        let connection = try openPortForwardWebSocket(namespace: namespace, pod: pod, port: port,
                                                      cancellation: cancellation)
        return try PortForwardConnection(connection: connection, port: port)
    }

    /// The upgraded WebSocket of one port-forward connection, before anyone reads it: a
    /// `PortForwardConnection` or a `PortForwarder`'s pumps.
    func openPortForwardWebSocket(namespace: String, pod: String, port: UInt16,
                                  cancellation: CancellationToken?) throws(KubeError) -> WebSocketConnection {
        guard !namespace.isEmpty else { throw .invalidArgument("port-forward needs a namespace") }
        guard port > 0 else { throw .invalidArgument("port-forward needs a port between 1 and 65535") }
        let request = APIRequest(method: "GET", namespace: namespace, resource: "pods", name: pod,
                                 subresource: "portforward", query: [("ports", String(port))])
        let http = try RESTClient.httpRequest(request)
        return try rest.transport.openWebSocket(pathAndQuery: http.pathAndQuery,
                                                protocols: [PortForwardProtocol.subprotocol],
                                                cancellation: cancellation)
    }

    /// Listens on `address`:`localPort` (0: any free port, see `PortForwarder.localPort`) and
    /// forwards every accepted connection to `remotePort` of the pod over a connection of its
    /// own, like `kubectl port-forward`. Returns once listening; `.transport` when the address
    /// cannot be bound (in use, not local).
    public func startPortForwarder(namespace: String, pod: String, address: String = "127.0.0.1",
                                   localPort: UInt16 = 0, remotePort: UInt16) throws(KubeError) -> PortForwarder {
        guard !namespace.isEmpty else { throw .invalidArgument("port-forward needs a namespace") }
        guard remotePort > 0 else { throw .invalidArgument("port-forward needs a remote port between 1 and 65535") }
        do {
            try APIRequest(namespace: namespace, resource: "pods", name: pod, subresource: "portforward").validate()
        } catch {
            throw .invalidArgument(error.description)
        }
        return PortForwarder(core: try PortForwarderCore(client: self, namespace: namespace, pod: pod, address: address,
                                                         localPort: localPort, remotePort: remotePort))
    }
}
