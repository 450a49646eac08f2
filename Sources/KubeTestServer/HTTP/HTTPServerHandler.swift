import KubeCore
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOWebSocket

/// What every connection handler shares.
struct ServerContext: Sendable {
    let api: APIHandler
    let faults: FaultInjector
    let bookmarkInterval: TimeAmount
    let connections: ConnectionStats
}

/// One HTTP/1.1 connection or one HTTP/2 stream (behind NIO's HTTP/2 → HTTP/1 codec): collects
/// a request, answers it through `APIHandler`, and turns watch responses into streamed bodies.
final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ServerContext
    private let tls: Bool
    /// Refusals of upgrade requests, decided by the upgraders before the request reaches us.
    private let upgrades: UpgradeSlot
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var certificateUser: String??
    private var watcher: Watcher?
    private var timers: [Scheduled<Void>] = []
    private var bookmarkTask: RepeatedTask?
    /// Ends a `follow=true` log stream's registrations.
    private var stopLogFollow: (() -> Void)?

    /// The handler serves one HTTP/2 stream (the TLS handler is on the parent channel).
    private let overHTTP2: Bool

    init(server: ServerContext, tls: Bool, upgrades: UpgradeSlot, overHTTP2: Bool) {
        self.server = server
        self.tls = tls
        self.upgrades = upgrades
        self.overHTTP2 = overHTTP2
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = nil
            // libcurl waits up to a second for "100 Continue" before sending large bodies.
            if h.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: h.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            if var existing = body {
                existing.writeBuffer(&chunk)
                body = existing
            } else {
                body = chunk
            }
        case .end:
            guard let head else { return }
            self.head = nil
            handle(context: context, head: head)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopWatch()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A refused upgrade: the request follows as an ordinary one and gets the refusal.
        if error is StreamUpgradeRefused || error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }

    private func stopWatch() {
        if let watcher {
            server.api.cluster.removeWatcher(watcher)
            self.watcher = nil
        }
        bookmarkTask?.cancel()
        bookmarkTask = nil
        stopLogFollow?()
        stopLogFollow = nil
        for t in timers { t.cancel() }
        timers = []
    }

    /// Common name of the verified client certificate, looked up once per connection.
    private func clientCertificateUser(_ context: ChannelHandlerContext) -> String? {
        if let cached = certificateUser { return cached }
        let connection = overHTTP2 ? context.channel.parent?.pipeline : context.pipeline
        let user = connection.flatMap { PeerCertificate.user($0, tls: tls) }
        certificateUser = .some(user)
        return user
    }

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let bytes = body.map { Array($0.readableBytesView) } ?? []
        body = nil
        let request = ServerRequest(method: head.method.rawValue, uri: head.uri,
                                    headers: head.headers.map { ($0.name, $0.value) }, body: bytes,
                                    clientCertificateUser: clientCertificateUser(context))
        let response: ServerResponse
        if let stream = StreamRequest.parse(uri: head.uri) {
            response = streamResponse(request, stream: stream, head: head)
        } else {
            response = server.api.handle(request)
        }
        let latency = server.faults.latencyNanos
        if latency > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(latency))) {
                self.respond(context: context, head: head, response: response)
            }
        } else {
            respond(context: context, head: head, response: response)
        }
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead, response: ServerResponse) {
        switch response {
        case .complete(let status, let extra, let body):
            var headers = HTTPHeaders()
            for (name, value) in extra { headers.add(name: name, value: value) }
            headers.add(name: "Cache-Control", value: "no-cache, private")
            headers.add(name: "Content-Length", value: String(body.count))
            // An HTTP/2 stream ends with its response; the connection stays (NIO's isKeepAlive
            // answers false for version 2.0).
            let keepAlive = overHTTP2 || head.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))), promise: nil)
            if head.method != .HEAD && !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            }
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                let channel = context.channel
                done.whenComplete { _ in channel.close(promise: nil) }
            }
        case .watch(let plan):
            startWatch(context: context, head: head, plan: plan)
        case .followLog(let plan):
            let stream = WatchStream(channel: context.channel, faults: server.faults)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain")
            headers.add(name: "Cache-Control", value: "no-cache, private")
            headers.add(name: "Transfer-Encoding", value: "chunked")
            // The head is written first (lines queue behind it) but flushed only once the
            // follow is registered: a client that sees the 200 and appends a line at once
            // must get that line, as a kubelet's follow of the container's log file does.
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
            stopLogFollow = LogFollow.start(plan, cluster: server.api.cluster, stream: stream)
            context.flush()
        }
    }

    /// exec, attach and portforward requests that were not upgraded: the upgrader's refusal, or
    /// why no upgrade took place.
    private func streamResponse(_ request: ServerRequest, stream: StreamRequest, head: HTTPRequestHead) -> ServerResponse {
        if case .refuse(let response)? = upgrades.take() { return response }
        let upgrade = head.headers[canonicalForm: "upgrade"].map { $0.lowercased() }
        let transport: UpgradeTransport
        if upgrade.contains("websocket") {
            transport = .webSocket(offered: request.listHeader("sec-websocket-protocol"))
        } else if upgrade.contains("spdy/3.1") {
            transport = .spdy(offered: request.listHeader("x-stream-protocol-version") ?? [])
        } else {
            transport = .none
        }
        switch server.api.streamDecision(request, stream: stream, transport: transport) {
        case .refuse(let response):
            return response
        case .accept:
            // Admissible, but the upgrader did not run (not the connection's first request) or
            // rejected the handshake headers.
            return .status(.badRequest(
                "the upgrade was not performed: it must be the first request on its connection and, for WebSocket, carry Sec-WebSocket-Key and Sec-WebSocket-Version: 13"))
        }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, plan: WatchPlan) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: plan.protobuf ? ProtobufWatchSink.contentType : "application/json")
        headers.add(name: "Cache-Control", value: "no-cache, private")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        let responseHead = HTTPResponseHead(version: head.version, status: .ok, headers: headers)

        let cluster = server.api.cluster
        let stream = WatchStream(channel: context.channel, faults: server.faults)
        let watcher = Watcher(id: cluster.nextWatcherID(), resource: plan.resource, namespace: plan.namespace,
                              labelSelector: plan.request.labelSelector, fieldSelector: plan.request.fieldSelector, sink: plan.protobuf ? ProtobufWatchSink(stream) : stream,
                              metadataOnly: plan.metadataOnly, table: plan.table)
        // Register first, then write the head: the stream's buffered events are flushed by a
        // task queued on this event loop, which runs after the head is written. A client that
        // saw the head can rely on the watch being registered (fault tests close it right away).
        let registered: Bool
        do {
            registered = try cluster.withState { (s: inout ClusterState) throws(Status) in try s.startWatch(watcher, request: plan.request) }
        } catch {
            context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
            var out: [UInt8] = []
            encodeWatchEvent(.error, objectBytes: error.json().serializedBytes(), into: &out)
            stream.send(out)
            stream.finish(abrupt: false)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
        guard registered else { return }
        self.watcher = watcher
        if plan.request.allowWatchBookmarks {
            let id = watcher.id, key = watcher.resource.storageKey
            bookmarkTask = context.eventLoop.scheduleRepeatedTask(initialDelay: server.bookmarkInterval, delay: server.bookmarkInterval) { _ in
                cluster.read { $0.sendBookmark(to: id, storageKey: key) }
            }
        }
        if let seconds = plan.request.timeoutSeconds, seconds > 0 {
            timers.append(context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
                cluster.removeWatcher(watcher)
                stream.finish(abrupt: false)
            })
        }
    }
}
