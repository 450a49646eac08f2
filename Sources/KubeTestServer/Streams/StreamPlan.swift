import KubeCore

/// How a client asked to upgrade.
enum UpgradeTransport: Sendable {
    /// `Upgrade: websocket`, with the offered `Sec-WebSocket-Protocol` values (nil: header absent).
    case webSocket(offered: [String]?)
    /// `Upgrade: SPDY/3.1`, with the offered `X-Stream-Protocol-Version` values.
    case spdy(offered: [String])
    /// A plain request (no upgrade): always refused.
    case none
}

/// An exec or attach the channel protocol serves after the upgrade.
struct RemoteCommandPlan: Sendable {
    var kind: StreamRequest.Kind
    var namespace: String
    var pod: String
    var podUID: String
    var container: String
    /// Empty for attach.
    var command: [String]
    var stdin: Bool
    var stdout: Bool
    /// False with a TTY: the terminal merges stderr into stdout (as the kubelet drops it).
    var stderr: Bool
    var tty: Bool
    var channelProtocol: ChannelProtocol
}

/// What an accepted upgrade turns the connection into.
enum StreamPlan: Sendable {
    case remoteCommand(RemoteCommandPlan)
    /// WebSocket port-forward, data/error channel pair per port (`portforward.k8s.io`, `v4.channel.k8s.io`).
    case portForwardChannels(namespace: String, pod: String, ports: [Int])
    /// kubectl ≥ 1.31: SPDY/3.1 frames inside WebSocket binary messages.
    case portForwardTunnelledSPDY(namespace: String, pod: String)
    /// The raw `Upgrade: SPDY/3.1` kubectl falls back to.
    case portForwardRawSPDY(namespace: String, pod: String)
}

/// The answer to an upgrade request: go ahead (with the negotiated protocol for the 101's
/// headers) or a normal HTTP response, which clients report as a refused upgrade.
enum StreamDecision: Sendable {
    case accept(StreamPlan, protocol: String?)
    case refuse(ServerResponse)
}
