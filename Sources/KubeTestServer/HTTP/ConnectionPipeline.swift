import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOSSL

/// Sets up an accepted connection: TLS (when served), then HTTP/1.1 or, when the client
/// offers it in ALPN and the server allows it, HTTP/2.
///
/// As kube-apiserver: over TLS the server offers `h2` and `http/1.1`; every HTTP/2 stream gets
/// its own `HTTPServerHandler` behind NIO's HTTP/2 → HTTP/1 codec, so requests, watches and log
/// follows are served by the same code; a watch is one long stream. PINGs are answered by the
/// HTTP/2 handler itself. Upgrades (exec, attach, port-forward) exist only over HTTP/1.1:
/// kubectl's and our client's dialers offer only `http/1.1` for them, as HTTP/2 has no Upgrade.
enum ConnectionPipeline {
    /// The ALPN protocols the TLS listener offers, most preferred first.
    static func applicationProtocols(http2: Bool) -> [String] {
        http2 ? ["h2", "http/1.1"] : ["http/1.1"]
    }

    static func configure(_ channel: Channel, server: ServerContext, sslContext: NIOSSLContext?, http2: Bool) -> EventLoopFuture<Void> {
        do {
            if let sslContext {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        guard sslContext != nil, http2 else {
            return channel.eventLoop.makeCompletedFuture { try configureHTTP1(channel, server: server, tls: sslContext != nil) }
        }
        return channel.configureHTTP2SecureUpgrade(
            h2ChannelConfigurator: { connection in
                server.connections.opened(http2: true)
                return connection.eventLoop.makeCompletedFuture {
                    _ = try connection.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: connectionLimits, streamConfiguration: streamLimits
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            let sync = stream.pipeline.syncOperations
                            try sync.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                            try sync.addHandler(HTTPServerHandler(server: server, tls: true, upgrades: UpgradeSlot(), overHTTP2: true))
                        }
                    }
                }
            },
            http1ChannelConfigurator: { connection in
                connection.eventLoop.makeCompletedFuture { try configureHTTP1(connection, server: server, tls: true) }
            })
    }

    // NIO's DoS defaults close a connection after 200 RST_STREAM, control frames or stream
    // errors in 30 s: our libcurl client's connection was closed after 200 requests, and a
    // client-go health check pinging a long-lived connection would be too. kube-apiserver (Go's
    // HTTP/2 server) has no such count, so a test oracle allows 10,000 a second. (The counters keep one timestamp per
    // event in a buffer sized to the limit, hence a short window rather than no limit.)
    static let connectionLimits: NIOHTTP2Handler.ConnectionConfiguration = {
        var limits = NIOHTTP2Handler.ConnectionConfiguration()
        limits.maximumConnectionGlitches = 1_000_000
        limits.controlFrameRateLimit.maximumCount = 10_000
        limits.controlFrameRateLimit.windowLength = .seconds(1)
        return limits
    }()

    static let streamLimits: NIOHTTP2Handler.StreamConfiguration = {
        var limits = NIOHTTP2Handler.StreamConfiguration()
        limits.streamResetFrameRateLimit.maximumCount = 10_000
        limits.streamResetFrameRateLimit.windowLength = .seconds(1)
        limits.streamErrorRateLimit.maximumCount = 10_000
        limits.streamErrorRateLimit.windowLength = .seconds(1)
        return limits
    }()

    /// HTTP/1.1 with the exec/attach/port-forward upgraders (Streams/); the HTTP handler
    /// leaves the pipeline when an upgrade takes the connection.
    private static func configureHTTP1(_ channel: Channel, server: ServerContext, tls: Bool) throws {
        server.connections.opened(http2: false)
        let sync = channel.pipeline.syncOperations
        let slot = UpgradeSlot()
        let http = HTTPServerHandler(server: server, tls: tls, upgrades: slot, overHTTP2: false)
        let bound = NIOLoopBound(http, eventLoop: channel.eventLoop)
        let upgraders = StreamUpgraders.make(server: server, tls: tls, slot: slot)
        try sync.configureHTTPServerPipeline(
            withServerUpgrade: (upgraders: upgraders, completionHandler: { upgraded in
                upgraded.pipeline.syncOperations.removeHandler(bound.value, promise: nil)
            }),
            withErrorHandling: true)
        try sync.addHandler(http)
    }
}
