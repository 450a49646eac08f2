/// The remote-command channel protocol spoken over WebSocket (`v4.channel.k8s.io`,
/// `v5.channel.k8s.io`): each binary message starts with the channel it belongs to.
enum ChannelProtocol: String, Sendable, CaseIterable {
    /// Adds the CLOSE signal (channel 255) with which a client half-closes stdin.
    case v5 = "v5.channel.k8s.io"
    /// JSON `metav1.Status` on the error channel; no half-close.
    case v4 = "v4.channel.k8s.io"

    /// Server preference, most capable first (kube-apiserver serves exactly these two).
    static let preference: [ChannelProtocol] = [.v5, .v4]

    var supportsClose: Bool { self == .v5 }

    /// The first protocol of `preference` the client offered, or nil.
    static func negotiate(_ offered: [String]) -> ChannelProtocol? {
        preference.first { offered.contains($0.rawValue) }
    }
}

/// Channel numbers, as client-go and the kubelet number them.
enum StreamChannel: UInt8, Sendable {
    case stdin = 0
    case stdout = 1
    case stderr = 2
    /// Server to client: the command's final `metav1.Status`.
    case error = 3
    /// Client to server: `{"Width":W,"Height":H}`.
    case resize = 4
    /// v5 only, client to server: the next byte names the channel being closed.
    case close = 255
}

/// One decoded binary message.
enum ChannelMessage: Equatable, Sendable {
    case data(channel: UInt8, payload: [UInt8])
    /// v5 CLOSE signal for `channel`.
    case close(channel: UInt8)
    /// An empty message or a malformed CLOSE signal: ignored, as kube-apiserver does.
    case ignored

    /// Decodes a binary message's bytes under `proto`.
    static func decode(_ bytes: some Collection<UInt8>, protocol proto: ChannelProtocol) -> ChannelMessage {
        guard let first = bytes.first else { return .ignored }
        let rest = bytes.dropFirst()
        if proto.supportsClose && first == StreamChannel.close.rawValue {
            guard rest.count == 1, let channel = rest.first else { return .ignored }
            return .close(channel: channel)
        }
        return .data(channel: first, payload: Array(rest))
    }

    /// The message bytes: channel byte first.
    static func encode(channel: UInt8, _ payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 1)
        out.append(channel)
        out.append(contentsOf: payload)
        return out
    }
}
