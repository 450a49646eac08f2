import NIOCore
import NIOWebSocket

/// Port-forward as kubectl ≥ 1.31 sends it: subprotocol `SPDY/3.1+portforward.k8s.io`, the SPDY
/// byte stream split arbitrarily across binary WebSocket messages (client-go's TunnelingConnection).
/// Each SPDY write of the server goes out as one binary message.
final class SPDYWebSocketTunnelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let server: PortForwardContext
    private let namespace: String
    private let pod: String
    private var context: ChannelHandlerContext?
    private var session: SPDYPortForwardSession?
    private let control = WebSocketControl()

    init(server: PortForwardContext, namespace: String, pod: String) {
        self.server = server
        self.namespace = namespace
        self.pod = pod
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        PortForwardChannelTuning.tuneClientChannel(context.channel)
        session = try? SPDYPortForwardSession(server: server, namespace: namespace, pod: pod,
                                              eventLoop: context.eventLoop, output: self)
        if session == nil { control.close(context: context, code: 1011) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        session?.connectionClosed()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if control.handle(frame, context: context) {
            if frame.opcode == .connectionClose { session?.connectionClosed() }
            return
        }
        switch frame.opcode {
        case .binary, .continuation:
            session?.receive(frame.unmaskedData)
        default:
            // client-go's tunnel refuses anything but binary messages; so do we (1003: unsupported data).
            session?.connectionClosed()
            control.close(context: context, code: 1003)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        session?.connectionClosed()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        session?.outputWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        session?.connectionClosed()
        context.close(promise: nil)
    }
}

extension SPDYWebSocketTunnelHandler: SPDYSessionOutput {
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func send(_ bytes: ByteBuffer) {
        guard let context, !control.closeSent else { return }
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: bytes)), promise: nil)
    }

    func closeConnection() {
        guard let context else { return }
        control.close(context: context)
    }

    func pauseReading(_ paused: Bool) {
        try? context?.channel.syncOptions?.setOption(.autoRead, value: !paused)
    }
}
