import NIOCore

/// Port-forward over a raw `Upgrade: SPDY/3.1` connection (kubectl's fallback): the socket after
/// the 101 carries the SPDY byte stream directly.
final class SPDYRawHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: PortForwardContext
    private let namespace: String
    private let pod: String
    private var context: ChannelHandlerContext?
    private var session: SPDYPortForwardSession?

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
        if session == nil { context.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        session?.connectionClosed()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        session?.receive(unwrapInboundIn(data))
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

extension SPDYRawHandler: SPDYSessionOutput {
    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }
    var isWritable: Bool { context?.channel.isWritable ?? false }

    func send(_ bytes: ByteBuffer) {
        context?.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    func closeConnection() {
        context?.close(promise: nil)
    }

    func pauseReading(_ paused: Bool) {
        try? context?.channel.syncOptions?.setOption(.autoRead, value: !paused)
    }
}
