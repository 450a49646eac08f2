import NIOCore
import NIOWebSocket

/// `pods/portforward` over the WebSocket channel protocol (subprotocol `portforward.k8s.io`, as the
/// kubelet serves it): for the i-th requested port, channel 2i carries data and 2i+1 errors; each
/// channel's first server frame is the port as 2 bytes little-endian. One WebSocket is one TCP
/// connection per port. When every port's connection has ended, the WebSocket is closed.
final class PortForwardWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let server: PortForwardContext
    private let namespace: String
    private let pod: String
    private let ports: [Int]
    private var context: ChannelHandlerContext?
    private var targets: [TargetConnection] = []
    private var finishedPorts = Set<Int>()
    private var started = false
    private let control = WebSocketControl()
    /// The channel of a fragmented message whose continuation frames are still to come.
    private var continuationChannel: UInt8?
    private var clientReadPaused = false

    init(server: PortForwardContext, namespace: String, pod: String, ports: [Int]) {
        self.server = server
        self.namespace = namespace
        self.pod = pod
        self.ports = ports
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        PortForwardChannelTuning.tuneClientChannel(context.channel)
        // A channel number is one byte: at most 127 port pairs; ports are 16-bit and non-zero.
        guard !ports.isEmpty, ports.count <= 127, ports.allSatisfy({ (1...65_535).contains($0) }) else {
            control.close(context: context, code: 1008)
            return
        }
        for (index, port) in ports.enumerated() {
            for channel in [UInt8(2 * index), UInt8(2 * index + 1)] {
                var prefix = context.channel.allocator.buffer(capacity: 3)
                prefix.writeInteger(channel)
                prefix.writeInteger(UInt16(truncatingIfNeeded: port), endianness: .little)
                context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: prefix)), promise: nil)
            }
        }
        context.flush()
        for (index, port) in ports.enumerated() {
            let target = TargetConnection(id: index, eventLoop: context.eventLoop, delegate: self)
            targets.append(target)
            switch server.resolve(namespace: namespace, pod: pod, port: port) {
            case .success(let endpoint):
                target.connect(host: endpoint.host, port: endpoint.port)
            case .failure(let failure):
                fail(portIndex: index, message: failure.message)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if control.handle(frame, context: context) { return }
        var payload = frame.unmaskedData
        let channel: UInt8
        switch frame.opcode {
        case .binary, .text:
            guard let first = payload.readInteger(as: UInt8.self) else { return }
            channel = first
            continuationChannel = frame.fin ? nil : first
        case .continuation:
            guard let open = continuationChannel else { return }
            channel = open
            if frame.fin { continuationChannel = nil }
        default:
            return
        }
        // Only data channels (even) take client bytes; what a client writes on an error channel is dropped.
        let index = Int(channel / 2)
        guard channel % 2 == 0, index < targets.count, payload.readableBytes > 0, !finishedPorts.contains(index) else { return }
        let target = targets[index]
        target.write(payload)
        if !target.isWritable { pauseClientReads(true, context: context) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        for target in targets { target.pauseReading(!writable) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for target in targets { target.close() }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        for target in targets { target.close() }
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        for target in targets { target.close() }
        context.close(promise: nil)
    }

    // MARK: port bookkeeping

    private func fail(portIndex: Int, message: String) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: message.utf8.count + 1)
        buffer.writeInteger(UInt8(2 * portIndex + 1))
        buffer.writeString(message)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: nil)
        portFinished(portIndex)
    }

    private func portFinished(_ index: Int) {
        guard finishedPorts.insert(index).inserted else { return }
        if index < targets.count { targets[index].close() }
        if finishedPorts.count == ports.count, let context { control.close(context: context) }
    }

    private func pauseClientReads(_ paused: Bool, context: ChannelHandlerContext) {
        guard paused != clientReadPaused else { return }
        clientReadPaused = paused
        try? context.channel.syncOptions?.setOption(.autoRead, value: !paused)
    }
}

extension PortForwardWebSocketHandler: TargetConnectionDelegate {
    func targetConnected(_ target: TargetConnection) {}

    func target(_ target: TargetConnection, failedToConnect error: any Error) {
        guard target.id < ports.count else { return }
        let port = ports[target.id]
        let endpoint = server.registry.target(namespace: namespace, pod: pod, port: port)
        let address = endpoint.map { "\($0.host):\($0.port)" } ?? "localhost:\(port)"
        let failure = server.failure(namespace: namespace, pod: pod, port: port,
                                     reason: "failed to connect to \(address): \(error)")
        fail(portIndex: target.id, message: failure.message)
    }

    func target(_ target: TargetConnection, read buffer: ByteBuffer) {
        guard let context, !control.closeSent else { return }
        var framed = context.channel.allocator.buffer(capacity: buffer.readableBytes + 1)
        framed.writeInteger(UInt8(2 * target.id))
        framed.writeImmutableBuffer(buffer)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: framed)), promise: nil)
        if !context.channel.isWritable { target.pauseReading(true) }
    }

    func targetFinished(_ target: TargetConnection) {
        portFinished(target.id)
    }

    func targetWritabilityChanged(_ target: TargetConnection) {
        guard let context, clientReadPaused, targets.allSatisfy(\.isWritable) else { return }
        pauseClientReads(false, context: context)
    }
}
