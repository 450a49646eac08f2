import NIOCore
import NIOWebSocket

/// The WebSocket end of an exec or attach: decodes channel messages for the session, answers
/// pings, and runs the close handshake (the server closes after the status; a client's close
/// is echoed and ends the session).
final class RemoteCommandHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// How long the server waits for the client's reply to its close frame before hanging up.
    static let closeReplyTimeout = TimeAmount.seconds(10)

    private let plan: RemoteCommandPlan
    private let cluster: Cluster
    private var session: RemoteCommandSession?
    private var sentClose = false
    private var closeTimer: Scheduled<Void>?

    init(plan: RemoteCommandPlan, cluster: Cluster) {
        self.plan = plan
        self.cluster = cluster
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let session = RemoteCommandSession(plan: plan, channel: context.channel)
        self.session = session
        // The task's writes hop to this event loop, so they queue behind the message below.
        session.start(cluster: cluster)
        // An empty message on the lowest writable channel tells the client the streams are up.
        let first: StreamChannel = plan.stdout ? .stdout : (plan.stderr ? .stderr : .error)
        context.writeAndFlush(wrapOutboundOut(frame(context, .binary, [first.rawValue])), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            let message = ChannelMessage.decode(frame.unmaskedData.readableBytesView, protocol: plan.channelProtocol)
            if session?.received(message) == false {
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            session?.connectionClosed()
            if sentClose {
                context.close(promise: nil)
            } else {
                // Echo the client's status code, then hang up (RFC 6455 §5.5.1).
                sentClose = true
                var data = frame.unmaskedData
                let code = data.readSlice(length: min(2, data.readableBytes)) ?? context.channel.allocator.buffer(capacity: 0)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)))
                    .whenComplete { _ in channel.close(promise: nil) }
            }
        default:
            break  // text (base64 protocols are not served), pong, continuation (aggregated before us)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is RemoteCommandEnded else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard !sentClose else { return }
        sentClose = true
        // Reading may be paused by unread stdin: the client's close reply must get through.
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        var code = context.channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: .normalClosure)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)), promise: nil)
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.closeReplyTimeout) {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closeTimer?.cancel()
        session?.connectionClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session?.connectionClosed()
        context.close(promise: nil)
    }

    private func frame(_ context: ChannelHandlerContext, _ opcode: WebSocketOpcode, _ bytes: [UInt8]) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, data: context.channel.allocator.buffer(bytes: bytes))
    }
}
