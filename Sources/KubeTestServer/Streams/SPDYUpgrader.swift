import NIOCore
import NIOHTTP1

/// `Upgrade: SPDY/3.1`, which kubectl falls back to for port-forward when WebSocket fails.
final class SPDYUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let supportedProtocol = "SPDY/3.1"
    let requiredUpgradeHeaders: [String] = []
    private let server: ServerContext
    private let tls: Bool
    private let slot: UpgradeSlot

    init(server: ServerContext, tls: Bool, slot: UpgradeSlot) {
        self.server = server
        self.tls = tls
        self.slot = slot
    }

    func buildUpgradeResponse(channel: Channel, upgradeRequest: HTTPRequestHead,
                              initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        channel.eventLoop.makeCompletedFuture {
            guard let stream = StreamRequest.parse(uri: upgradeRequest.uri) else { throw StreamUpgradeRefused() }
            let request = StreamUpgraders.serverRequest(upgradeRequest, channel: channel, tls: tls)
            let decision = server.api.streamDecision(
                request, stream: stream, transport: .spdy(offered: request.listHeader("x-stream-protocol-version") ?? []))
            slot.store(decision)
            guard case .accept(_, let proto) = decision else { throw StreamUpgradeRefused() }
            var headers = initialResponseHeaders
            if let proto { headers.add(name: "X-Stream-Protocol-Version", value: proto) }
            return headers
        }
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        let channel = context.channel
        return channel.eventLoop.makeCompletedFuture {
            guard case .accept(let plan, _)? = slot.take() else { throw StreamUpgradeRefused() }
            try StreamPipeline.installRaw(plan, on: channel, server: server)
        }
    }
}
