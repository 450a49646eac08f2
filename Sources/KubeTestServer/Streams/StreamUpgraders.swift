import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The HTTP upgraders of one connection: WebSocket (exec, attach, portforward) and raw
/// SPDY/3.1 (portforward). Both admit the request through `APIHandler.streamDecision`.
enum StreamUpgraders {
    /// Largest WebSocket message accepted from a client (fragments are reassembled up to it).
    static let maxMessageSize = 1 << 24

    static func make(server: ServerContext, tls: Bool, slot: UpgradeSlot) -> [any HTTPServerProtocolUpgrader] {
        let webSocket = NIOWebSocketServerUpgrader(
            maxFrameSize: maxMessageSize, automaticErrorHandling: true,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let stream = StreamRequest.parse(uri: head.uri) else { return nil }
                    let request = serverRequest(head, channel: channel, tls: tls)
                    let decision = server.api.streamDecision(
                        request, stream: stream, transport: .webSocket(offered: request.listHeader("sec-websocket-protocol")))
                    slot.store(decision)
                    guard case .accept(_, let proto) = decision else { return nil }
                    var headers = HTTPHeaders()
                    if let proto { headers.add(name: "Sec-WebSocket-Protocol", value: proto) }
                    return headers
                }
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    guard case .accept(let plan, _)? = slot.take() else { throw StreamUpgradeRefused() }
                    try StreamPipeline.installWebSocket(plan, on: channel, server: server)
                }
            })
        return [webSocket, SPDYUpgrader(server: server, tls: tls, slot: slot)]
    }

    static func serverRequest(_ head: HTTPRequestHead, channel: Channel, tls: Bool) -> ServerRequest {
        ServerRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: [],
                      clientCertificateUser: PeerCertificate.user(channel.pipeline, tls: tls))
    }
}
