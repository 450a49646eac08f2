import NIOCore

/// The handlers that serve `pods/portforward` once the HTTP upgrade is done. The caller installs
/// exactly what these return; WebSocket control frames (ping, close) are answered by them.
enum PortForwardHandlers {
    /// After a WebSocket upgrade with subprotocol "portforward.k8s.io": inbound and outbound are
    /// `WebSocketFrame`s. `ports` come from the query (`?ports=8080&ports=9090` or comma separated).
    static func webSocketChannelProtocol(server: PortForwardContext, namespace: String, pod: String, ports: [Int]) -> [any ChannelHandler] {
        [PortForwardWebSocketHandler(server: server, namespace: namespace, pod: pod, ports: ports)]
    }

    /// After a WebSocket upgrade with "SPDY/3.1+portforward.k8s.io": `WebSocketFrame`s whose binary
    /// payloads carry a SPDY/3.1 byte stream.
    static func webSocketTunnelledSPDY(server: PortForwardContext, namespace: String, pod: String) -> [any ChannelHandler] {
        [SPDYWebSocketTunnelHandler(server: server, namespace: namespace, pod: pod)]
    }

    /// After a raw "Upgrade: SPDY/3.1" (101 sent, HTTP handlers removed): inbound and outbound `ByteBuffer`.
    static func rawSPDY(server: PortForwardContext, namespace: String, pod: String) -> [any ChannelHandler] {
        [SPDYRawHandler(server: server, namespace: namespace, pod: pod)]
    }
}
