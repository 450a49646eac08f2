import Foundation
import KubeCore
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// One HTTP/2 connection to a TLS test server, negotiated through ALPN `h2` only (as a
/// client-go transport does): requests are streams on it; PINGs go on stream 0.
final class HTTP2TestClient: Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// A response's status and the body received so far (a watch's body grows).
    final class Stream: Sendable {
        private let state = Mutex<(status: Int?, body: [UInt8], ended: Bool)>((nil, [], false))
        private let changed = Condition()
        let channel: Channel

        init(channel: Channel) { self.channel = channel }

        func received(status: Int) { update { $0.status = status } }
        func received(_ bytes: [UInt8]) { update { $0.body += bytes } }
        func ended() { update { $0.ended = true } }

        private func update(_ change: (inout (status: Int?, body: [UInt8], ended: Bool)) -> Void) {
            state.withLock { change(&$0) }
            changed.signal()
        }

        /// Waits until `done` holds for (status, body, ended), or `timeout` passes.
        func wait(timeout: Duration = .seconds(10), until done: (Int?, [UInt8], Bool) -> Bool) throws -> (status: Int, body: [UInt8]) {
            let deadline = ContinuousClock.now + timeout
            while true {
                let snapshot = state.withLock { $0 }
                if done(snapshot.status, snapshot.body, snapshot.ended) { return (snapshot.status ?? 0, snapshot.body) }
                if ContinuousClock.now > deadline { throw Failure(description: "timed out; status \(String(describing: snapshot.status)), \(snapshot.body.count) body bytes") }
                changed.wait(upTo: .milliseconds(50))
            }
        }

        func complete() throws -> (status: Int, body: [UInt8]) { try wait { _, _, ended in ended } }
    }

    private let group: MultiThreadedEventLoopGroup
    let connection: Channel
    private let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    private let pings: PingRecorder
    private let alpn: ALPNRecorder
    private let token: String

    init(port: Int, token: String) throws {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        tls.applicationProtocols = ["h2"]
        let context = try NIOSSLContext(configuration: tls)
        let pings = PingRecorder()
        let alpn = ALPNRecorder()
        let box = Mutex<NIOHTTP2Handler.StreamMultiplexer?>(nil)
        connection = try ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                try sync.addHandler(alpn)
                // The test sends hundreds of PINGs: its own DoS guard must not count their ACKs.
                var limits = NIOHTTP2Handler.ConnectionConfiguration()
                limits.controlFrameRateLimit.maximumCount = 10_000
                let mux = try sync.configureHTTP2Pipeline(mode: .client, connectionConfiguration: limits, streamConfiguration: .init()) {
                    $0.eventLoop.makeSucceededVoidFuture()
                }
                try sync.addHandler(pings)
                box.withLock { $0 = mux }
            }
        }.connect(host: "127.0.0.1", port: port).wait()
        guard let mux = box.withLock({ $0 }) else { throw Failure(description: "no multiplexer") }
        multiplexer = mux
        self.pings = pings
        self.alpn = alpn
        self.token = token
    }

    deinit {
        try? connection.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// The protocol ALPN chose for the connection (known once the handshake is done, which
    /// the first request's answer implies).
    func negotiatedProtocol() -> String? { alpn.negotiated.withLock { $0 } }

    /// Starts a request on a new stream.
    func request(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) throws -> Stream {
        let token = self.token
        let streamBox = Mutex<Stream?>(nil)
        let channel = try multiplexer.createStreamChannel { channel in
            channel.eventLoop.makeCompletedFuture {
                let stream = Stream(channel: channel)
                streamBox.withLock { $0 = stream }
                try channel.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ClientCodec(httpProtocol: .https))
                try channel.pipeline.syncOperations.addHandler(ResponseRecorder(stream: stream))
            }
        }.wait()
        guard let stream = streamBox.withLock({ $0 }) else { throw Failure(description: "no stream") }
        var headers = HTTPHeaders([("host", "127.0.0.1"), ("authorization", "Bearer \(token)"), ("accept", "application/json")])
        if let body { headers.add(name: "content-type", value: "application/json"); headers.add(name: "content-length", value: String(body.count)) }
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http2, method: method, uri: path, headers: headers)), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil) }
        try channel.writeAndFlush(HTTPClientRequestPart.end(nil)).wait()
        return stream
    }

    /// Sends a PING on stream 0 and waits for its ACK carrying the same data.
    func ping(_ value: UInt64, timeout: Duration = .seconds(10)) throws {
        let frame = HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: value), ack: false))
        try connection.writeAndFlush(frame).wait()
        let deadline = ContinuousClock.now + timeout
        while !pings.acked(value) {
            if ContinuousClock.now > deadline { throw Failure(description: "no PING ack for \(value)") }
            pings.changed.wait(upTo: .milliseconds(50))
        }
    }
}

/// Wakes waiters when a stream or the PING record changes. Waiters re-check their state after
/// each wake-up; the bound covers a signal that came between their check and their wait.
final class Condition: @unchecked Sendable {  // `generation` is only touched under `condition`'s lock
    private let condition = NSCondition()
    private var generation = 0

    func signal() {
        condition.lock()
        generation += 1
        condition.broadcast()
        condition.unlock()
    }

    func wait(upTo duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        let start = generation
        while generation == start, condition.wait(until: deadline) {}
        condition.unlock()
    }
}

/// Records the protocol the TLS handshake negotiated.
final class ALPNRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny
    let negotiated = Mutex<String?>(nil)

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted(let proto)? = event as? TLSUserEvent { negotiated.withLock { $0 = proto } }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Records PING ACKs seen on the connection's stream 0.
final class PingRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTP2Frame
    private let acks = Mutex<Set<UInt64>>([])
    let changed = Condition()

    func acked(_ value: UInt64) -> Bool { acks.withLock { $0.contains(value) } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if case .ping(let data, ack: true) = frame.payload {
            acks.withLock { _ = $0.insert(data.integer) }
            changed.signal()
        }
        context.fireChannelRead(data)
    }
}

/// Feeds one stream's response parts into its `HTTP2TestClient.Stream`.
final class ResponseRecorder: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    let stream: HTTP2TestClient.Stream

    init(stream: HTTP2TestClient.Stream) { self.stream = stream }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): stream.received(status: Int(head.status.code))
        case .body(let buffer): stream.received(Array(buffer.readableBytesView))
        case .end: stream.ended()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stream.ended()
        context.fireChannelInactive()
    }
}
