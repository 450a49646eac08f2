import NIOCore
import NIOWebSocket

/// Installs what serves an accepted upgrade: the channel protocol for exec and attach, and the
/// port-forward handlers (Sources/KubeTestServer/PortForward) for the rest.
enum StreamPipeline {
    /// After the WebSocket upgrader added its frame encoder and decoder.
    static func installWebSocket(_ plan: StreamPlan, on channel: Channel, server: ServerContext) throws {
        let sync = channel.pipeline.syncOperations
        // Fragmented messages are reassembled: handlers see whole messages.
        try sync.addHandler(NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 16,
                                                        maxAccumulatedFrameSize: StreamUpgraders.maxMessageSize))
        let cluster = server.api.cluster
        switch plan {
        case .remoteCommand(let command):
            try sync.addHandler(RemoteCommandHandler(plan: command, cluster: cluster))
        case .portForwardChannels(let namespace, let pod, let ports):
            try sync.addHandlers(PortForwardHandlers.webSocketChannelProtocol(
                server: PortForwardContext(cluster: cluster), namespace: namespace, pod: pod, ports: ports))
        case .portForwardTunnelledSPDY(let namespace, let pod):
            try sync.addHandlers(PortForwardHandlers.webSocketTunnelledSPDY(
                server: PortForwardContext(cluster: cluster), namespace: namespace, pod: pod))
        case .portForwardRawSPDY:
            throw StreamUpgradeRefused()
        }
    }

    /// After a raw SPDY/3.1 upgrade: the connection carries bytes.
    static func installRaw(_ plan: StreamPlan, on channel: Channel, server: ServerContext) throws {
        guard case .portForwardRawSPDY(let namespace, let pod) = plan else { throw StreamUpgradeRefused() }
        try channel.pipeline.syncOperations.addHandlers(PortForwardHandlers.rawSPDY(
            server: PortForwardContext(cluster: server.api.cluster), namespace: namespace, pod: pod))
    }
}
