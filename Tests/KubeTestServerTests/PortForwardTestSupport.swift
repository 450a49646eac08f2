import Foundation
import KubeCore
import NIOCore
import NIOPosix
import NIOWebSocket
import Synchronization
@testable import KubeTestServer

/// A TCP echo server standing in for the process in a pod: echoes every byte, closes after the
/// client's EOF, and counts the connections that are open.
final class EchoServer: Sendable {
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let counter: OpenCounter
    private let stopped = Mutex(false)

    init() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let counter = OpenCounter()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(counter: counter))
                }
            }
        let bound = Result { try bootstrap.bind(host: "127.0.0.1", port: 0).wait() }
        if case .failure = bound { try? group.syncShutdownGracefully() }
        channel = try bound.get()
        self.group = group
        self.counter = counter
        self.port = channel.localAddress?.port ?? 0
    }

    var openConnections: Int { counter.value.withLock { $0 } }

    /// Closes the listener and every echo connection (idempotent).
    func stop() {
        guard stopped.withLock({ s in defer { s = true }; return !s }) else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    private final class OpenCounter: Sendable {
        let value = Mutex(0)
    }

    private final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let counter: OpenCounter

        init(counter: OpenCounter) { self.counter = counter }

        func channelActive(context: ChannelHandlerContext) {
            counter.value.withLock { $0 += 1 }
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            counter.value.withLock { $0 -= 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.write(data, promise: nil)
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, case .inputClosed = event {
                let channel = context.channel
                context.writeAndFlush(NIOAny(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                    channel.close(promise: nil)
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}

/// A port on 127.0.0.1 that refuses connections (bound once, then released).
func refusedPort() throws -> Int {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { try? group.syncShutdownGracefully() }
    let channel = try ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
    let port = channel.localAddress?.port ?? 1
    try channel.close().wait()
    return port
}

/// A pod the port-forward tests forward to (kubectl refuses pods that are not Running).
func runningPod(_ name: String) -> JSON {
    ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
     "spec": ["containers": [["name": "main", "image": "busybox"]]],
     "status": ["phase": "Running"]]
}

/// Deterministic pseudo-random bytes (xorshift), so a mismatch is reproducible.
func patternBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var bytes = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[i] = UInt8(truncatingIfNeeded: state)
    }
    return bytes
}

/// A minimal WebSocket client on NIO for the port-forward tests: upgrades with the given
/// subprotocols and bearer token, then hands out the server's frames in order.
///
/// `receive` is for one task at a time (the frame iterator is not shared); `send` may run concurrently.
final class WebSocketTestClient: @unchecked Sendable {
    let channel: any Channel
    let negotiatedProtocol: String?
    private let group: MultiThreadedEventLoopGroup
    private let frames: AsyncStream<WebSocketFrame>
    private var iterator: AsyncStream<WebSocketFrame>.Iterator

    private init(channel: any Channel, negotiatedProtocol: String?, group: MultiThreadedEventLoopGroup, frames: AsyncStream<WebSocketFrame>) {
        self.channel = channel
        self.negotiatedProtocol = negotiatedProtocol
        self.group = group
        self.frames = frames
        self.iterator = frames.makeAsyncIterator()
    }

    /// The handshake is done by hand (request bytes out, response head read up to the blank line),
    /// so frames the server sends right behind its 101 are never lost between HTTP and WebSocket handlers.
    static func connect(port: Int, path: String, token: String, protocols: [String]) async throws -> WebSocketTestClient {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (stream, continuation) = AsyncStream<WebSocketFrame>.makeStream()
        do {
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
            request += "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
            request += "\r\n"
            let (channel, head) = try await HandshakeSplitter.connect(group: group, port: port, request: request) { sync in
                try sync.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 24)))
                try sync.addHandler(WebSocketFrameEncoder())
                try sync.addHandler(InboundCollector<WebSocketFrame>(continuation: continuation))
            }
            let response = try await head.get()
            guard response.hasPrefix("HTTP/1.1 101") else {
                try? await channel.close().get()
                throw HandshakeSplitter.Refused(head: response)
            }
            let negotiated = response.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-protocol:") }
                .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
            return WebSocketTestClient(channel: channel, negotiatedProtocol: negotiated, group: group, frames: stream)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func send(_ bytes: [UInt8], opcode: WebSocketOpcode = .binary, fin: Bool = true) async throws {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let mask = WebSocketMaskingKey.random()
        try await channel.writeAndFlush(WebSocketFrame(fin: fin, opcode: opcode, maskKey: mask, data: buffer)).get()
    }

    /// The next frame from the server; nil once the connection is closed.
    func receive() async -> WebSocketFrame? {
        await iterator.next()
    }

    /// The next data message (control frames skipped), as bytes; nil on close.
    func receiveMessage() async -> (opcode: WebSocketOpcode, bytes: [UInt8])? {
        while let frame = await receive() {
            switch frame.opcode {
            case .binary, .text, .continuation:
                var data = frame.unmaskedData
                return (frame.opcode, data.readBytes(length: data.readableBytes) ?? [])
            case .connectionClose:
                return nil
            default:
                continue
            }
        }
        return nil
    }

    func close() async {
        var data = channel.allocator.buffer(capacity: 2)
        data.writeInteger(UInt16(1000))
        try? await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)).get()
        try? await channel.close().get()
    }

    func shutdown() async {
        try? await channel.close().get()
        try? await group.shutdownGracefully()
    }
}

/// A plain-HTTP test server with a Running pod `web` whose port 8080 leads to a fresh echo server.
func withPortForwardServer(_ body: (KubeTestServer, EchoServer) async throws -> Void) async throws {
    var options = KubeTestServerOptions()
    options.useTLS = false
    let server = try await KubeTestServer.start(options)
    let echo: EchoServer
    do {
        echo = try EchoServer()
    } catch {
        await server.stop()
        throw error
    }
    do {
        _ = try server.seed(json: runningPod("web"))
        server.registerPortForward(pod: "web", port: 8080, to: "127.0.0.1", port: echo.port)
        try await body(server, echo)
    } catch {
        echo.stop()
        await server.stop()
        throw error
    }
    echo.stop()
    await server.stop()
}

/// A SPDY/3.1 client for the tests, over a raw `Upgrade: SPDY/3.1` socket or a WebSocket tunnel
/// (`SPDY/3.1+portforward.k8s.io`). It uses the server's own codec, with its own compression contexts.
/// `receive` is for one task at a time; `send` may run concurrently with it.
final class SPDYTestClient: @unchecked Sendable {
    private enum Transport {
        case raw(any Channel, MultiThreadedEventLoopGroup, AsyncStream<ByteBuffer>)
        case webSocket(WebSocketTestClient)
    }

    private let transport: Transport
    private let encoder: Mutex<SPDYFrameEncoder>
    private let decoder: Mutex<SPDYFrameDecoder>
    private let pending = Mutex<[SPDYFrame]>([])
    private var rawIterator: AsyncStream<ByteBuffer>.Iterator?
    /// The 101 response head of a raw upgrade.
    let responseHead: String

    private init(transport: Transport, responseHead: String) throws {
        self.transport = transport
        self.responseHead = responseHead
        encoder = Mutex(try SPDYFrameEncoder())
        decoder = Mutex(try SPDYFrameDecoder())
    }

    static func connectRaw(port: Int, path: String, token: String, protocols: [String] = ["portforward.k8s.io"]) async throws -> SPDYTestClient {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        do {
            var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(token)\r\n"
            request += "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
            for proto in protocols { request += "X-Stream-Protocol-Version: \(proto)\r\n" }
            request += "Content-Length: 0\r\n\r\n"
            let (channel, head) = try await HandshakeSplitter.connect(group: group, port: port, request: request) { sync in
                try sync.addHandler(InboundCollector<ByteBuffer>(continuation: continuation))
            }
            let responseHead = try await head.get()
            return try SPDYTestClient(transport: .raw(channel, group, stream), responseHead: responseHead)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    static func connectTunnelled(port: Int, path: String, token: String) async throws -> SPDYTestClient {
        let ws = try await WebSocketTestClient.connect(port: port, path: path, token: token,
                                                       protocols: ["SPDY/3.1+portforward.k8s.io"])
        return try SPDYTestClient(transport: .webSocket(ws), responseHead: "HTTP/1.1 101 \(ws.negotiatedProtocol ?? "")")
    }

    var negotiatedWebSocketProtocol: String? {
        if case .webSocket(let ws) = transport { return ws.negotiatedProtocol }
        return nil
    }

    func send(_ frame: SPDYFrame) async throws {
        let bytes = try encoder.withLock { encoder in
            var buffer = ByteBufferAllocator().buffer(capacity: 64)
            try encoder.encode(frame, into: &buffer)
            return buffer
        }
        switch transport {
        case .raw(let channel, _, _):
            try await channel.writeAndFlush(bytes).get()
        case .webSocket(let ws):
            // Split the frame across two messages, as client-go's tunnel does with its small writes.
            var rest = bytes
            let head = rest.readBytes(length: min(3, rest.readableBytes)) ?? []
            try await ws.send(head)
            if rest.readableBytes > 0 { try await ws.send(rest.readBytes(length: rest.readableBytes) ?? []) }
        }
    }

    /// The next frame from the server; nil once the connection is closed.
    func receive() async throws -> SPDYFrame? {
        while true {
            if let frame = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return frame }
            guard let chunk = await nextChunk() else { return nil }
            let frames = try decoder.withLock { decoder in
                decoder.append(chunk)
                var frames: [SPDYFrame] = []
                while let frame = try decoder.next() { frames.append(frame) }
                return frames
            }
            pending.withLock { $0 += frames }
        }
    }

    /// Frames until `stop` accepts one (returned last), skipping nothing.
    func receive(until stop: (SPDYFrame) -> Bool) async throws -> [SPDYFrame] {
        var frames: [SPDYFrame] = []
        while let frame = try await receive() {
            frames.append(frame)
            if stop(frame) { return frames }
        }
        return frames
    }

    private func nextChunk() async -> ByteBuffer? {
        switch transport {
        case .raw(_, _, let stream):
            if rawIterator == nil { rawIterator = stream.makeAsyncIterator() }
            return await rawIterator?.next()
        case .webSocket(let ws):
            guard let message = await ws.receiveMessage() else { return nil }
            return ByteBuffer(bytes: message.bytes)
        }
    }

    func shutdown() async {
        switch transport {
        case .raw(let channel, let group, _):
            try? await channel.close().get()
            try? await group.shutdownGracefully()
        case .webSocket(let ws):
            await ws.close()
            await ws.shutdown()
        }
    }
}

/// First handler of a test client's pipeline: writes the upgrade request, collects the HTTP
/// response head (up to the blank line) and passes everything behind it to the protocol handlers,
/// which are in place from the start so nothing the server sends right after its 101 is lost.
final class HandshakeSplitter: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Refused: Error, CustomStringConvertible {
        let head: String
        var description: String { "upgrade refused: \(head)" }
    }

    private let head: EventLoopPromise<String>
    private let request: String
    private var buffered: ByteBuffer?
    private var headDone = false

    init(head: EventLoopPromise<String>, request: String) {
        self.head = head
        self.request = request
    }

    static func connect(group: MultiThreadedEventLoopGroup, port: Int, request: String,
                        handlers: @escaping @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void)
        async throws -> (any Channel, EventLoopFuture<String>) {
        let promise = group.next().makePromise(of: String.self)
        do {
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(HandshakeSplitter(head: promise, request: request))
                        try handlers(sync)
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            return (channel, promise.futureResult)
        } catch {
            promise.fail(error)
            throw error
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        // Written from this (the first) handler, the request bypasses the protocol encoders.
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !headDone else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        if buffered == nil { buffered = bytes } else { buffered?.writeBuffer(&bytes) }
        guard var all = buffered else { return }
        let view = Array(all.readableBytesView)
        let marker: [UInt8] = [13, 10, 13, 10]
        guard view.count >= 4, let end = (0...(view.count - 4)).first(where: { Array(view[$0..<$0 + 4]) == marker }) else { return }
        headDone = true
        buffered = nil
        all.moveReaderIndex(forwardBy: end + 4)
        head.succeed(String(decoding: view[..<end], as: UTF8.self))
        if all.readableBytes > 0 { context.fireChannelRead(NIOAny(all)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        head.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        head.fail(error)
        context.close(promise: nil)
    }
}

extension SPDYFrame {
    var dataPayload: [UInt8]? {
        guard case .data(_, _, var payload) = self else { return nil }
        return payload.readBytes(length: payload.readableBytes)
    }

    var isFin: Bool {
        switch self {
        case .data(_, let flags, _), .synReply(_, let flags, _), .headers(_, let flags, _), .synStream(_, _, _, let flags, _):
            return flags & SPDY.flagFin != 0
        default:
            return false
        }
    }

    var streamID: UInt32? {
        switch self {
        case .data(let id, _, _), .synReply(let id, _, _), .headers(let id, _, _), .rstStream(let id, _), .synStream(let id, _, _, _, _):
            return id
        default:
            return nil
        }
    }
}

/// The two SYN_STREAMs kubectl opens for one forwarded connection.
func portForwardStreams(requestID: Int, errorStream: UInt32, dataStream: UInt32, port: Int = 8080) -> [SPDYFrame] {
    func headers(_ type: String) -> [SPDYHeaderField] {
        [SPDYHeaderField(name: "streamType", value: type), SPDYHeaderField(name: "port", value: String(port)),
         SPDYHeaderField(name: "requestID", value: String(requestID))]
    }
    return [.synStream(streamID: errorStream, associatedStreamID: 0, priority: 0, flags: 0, headers: headers("error")),
            .synStream(streamID: dataStream, associatedStreamID: 0, priority: 0, flags: 0, headers: headers("data"))]
}

/// A blocking TCP client for the local ports kubectl listens on: sends a payload (from a second
/// thread, so neither direction waits on the other), half-closes, and reads until EOF.
enum TCPTestClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func roundTrip(port: Int, payload: [UInt8]) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)") }
        let sent = DispatchSemaphore(value: 0)
        let sender = Thread {
            payload.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                var offset = 0
                while offset < raw.count {
                    let n = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if n <= 0 { break }
                    offset += n
                }
            }
            shutdown(fd, Int32(SHUT_WR))
            sent.signal()
        }
        sender.start()
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
        sent.wait()
        return received
    }
}

/// Last handler of a test client's pipeline: hands what arrives (WebSocket frames, bytes) to
/// an AsyncStream, which ends when the channel does or fails.
private final class InboundCollector<Item: Sendable>: ChannelInboundHandler {
    typealias InboundIn = Item
    let continuation: AsyncStream<Item>.Continuation

    init(continuation: AsyncStream<Item>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}
