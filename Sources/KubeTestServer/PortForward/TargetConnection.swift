import NIOCore
import NIOPosix

/// What happens on a target connection. Called on the event loop the client connection and the
/// target connection share, so implementations need no locks.
protocol TargetConnectionDelegate: AnyObject {
    func targetConnected(_ target: TargetConnection)
    func target(_ target: TargetConnection, failedToConnect error: any Error)
    func target(_ target: TargetConnection, read buffer: ByteBuffer)
    /// The target sent EOF or its connection dropped: nothing more will be read.
    func targetFinished(_ target: TargetConnection)
    func targetWritabilityChanged(_ target: TargetConnection)
}

/// The TCP connection from the server to a pod port's registered endpoint (what the kubelet would
/// dial inside the pod). It lives on the client connection's event loop so bytes move between the
/// two without hops; writes made while it is still connecting are queued.
final class TargetConnection {
    private enum State {
        case idle
        case connecting(pending: [ByteBuffer], outputClosed: Bool)
        case connected(any Channel)
        case closed
    }

    /// The caller's handle for this connection (a port index, a request id, ...).
    let id: Int
    weak var delegate: (any TargetConnectionDelegate)?
    private let eventLoop: any EventLoop
    private var state = State.idle
    private var readingPaused = false
    private var finishedReading = false

    init(id: Int, eventLoop: any EventLoop, delegate: any TargetConnectionDelegate) {
        self.id = id
        self.eventLoop = eventLoop
        self.delegate = delegate
    }

    func connect(host: String, port: Int) {
        guard case .idle = state else { return }
        state = .connecting(pending: [], outputClosed: false)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: PortForwardChannelTuning.targetReads)
            .channelOption(.writeBufferWaterMark, value: PortForwardChannelTuning.waterMark)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TargetRelayHandler(owner: bound.value))
                }
            }
            .connect(host: host, port: port)
            .hop(to: eventLoop)
            .whenComplete { result in
                switch result {
                case .success(let channel): bound.value.didConnect(channel)
                case .failure(let error): bound.value.didFail(error)
                }
            }
    }

    var isWritable: Bool {
        if case .connected(let channel) = state { return channel.isWritable }
        return true
    }

    func write(_ buffer: ByteBuffer) {
        switch state {
        case .connecting(var pending, let outputClosed):
            pending.append(buffer)
            state = .connecting(pending: pending, outputClosed: outputClosed)
        case .connected(let channel):
            channel.writeAndFlush(buffer, promise: nil)
        case .idle, .closed:
            break
        }
    }

    /// The client will send no more: half-close towards the target, whose reply may still come.
    func finishWriting() {
        switch state {
        case .connecting(let pending, _):
            state = .connecting(pending: pending, outputClosed: true)
        case .connected(let channel):
            channel.close(mode: .output, promise: nil)
        case .idle, .closed:
            break
        }
    }

    /// Stops (or resumes) reading from the target while the client connection cannot take more.
    func pauseReading(_ paused: Bool) {
        guard paused != readingPaused else { return }
        readingPaused = paused
        if case .connected(let channel) = state {
            try? channel.syncOptions?.setOption(.autoRead, value: !paused)
        }
    }

    func close() {
        if case .connected(let channel) = state { channel.close(promise: nil) }
        state = .closed
    }

    // MARK: called by the bootstrap and the relay handler

    private func didConnect(_ channel: any Channel) {
        guard case .connecting(let pending, let outputClosed) = state else {
            channel.close(promise: nil)  // closed while connecting
            return
        }
        state = .connected(channel)
        if readingPaused { try? channel.syncOptions?.setOption(.autoRead, value: false) }
        for buffer in pending { channel.write(buffer, promise: nil) }
        channel.flush()
        if outputClosed { channel.close(mode: .output, promise: nil) }
        delegate?.targetConnected(self)
    }

    private func didFail(_ error: any Error) {
        guard case .connecting = state else { return }
        state = .closed
        delegate?.target(self, failedToConnect: error)
    }

    fileprivate func relayRead(_ buffer: ByteBuffer) {
        guard !finishedReading else { return }
        delegate?.target(self, read: buffer)
    }

    fileprivate func relayFinished() {
        guard !finishedReading else { return }
        finishedReading = true
        delegate?.targetFinished(self)
    }

    fileprivate func relayWritabilityChanged() {
        delegate?.targetWritabilityChanged(self)
    }
}

/// Sits in the target connection's pipeline and hands everything to its `TargetConnection`.
private final class TargetRelayHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private weak var owner: TargetConnection?

    init(owner: TargetConnection) {
        self.owner = owner
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner?.relayRead(unwrapInboundIn(data))
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            owner?.relayFinished()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        owner?.relayFinished()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        owner?.relayWritabilityChanged()
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
