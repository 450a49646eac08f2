import Foundation
import KubeCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A minimal WebSocket client built on NIO's client upgrader, for the channel protocol tests:
/// sends masked binary messages, records every message the server sends, and answers the
/// server's close frame as a client must.
final class ExecWebSocketClient: Sendable {
    /// Everything the server sent, in order.
    struct Transcript: Sendable {
        /// Binary messages as (channel, payload).
        var messages: [(channel: UInt8, payload: [UInt8])] = []
        var pongs: [[UInt8]] = []
        /// The status code of the server's close frame.
        var closeCode: UInt16?
        /// The TCP connection ended.
        var ended = false

        func text(_ channel: UInt8) -> String {
            String(decoding: messages.filter { $0.channel == channel }.flatMap(\.payload), as: UTF8.self)
        }

        var stdout: String { text(1) }
        var stderr: String { text(2) }
        var status: String { text(3) }
        var statusJSON: JSON? { try? JSON.parse(bytes: Array(status.utf8)) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let channel: Channel
    /// The subprotocol the server chose (nil: none).
    let negotiated: String?
    private let recorder: Recorder

    private init(channel: Channel, negotiated: String?, recorder: Recorder) {
        self.channel = channel
        self.negotiated = negotiated
        self.recorder = recorder
    }

    /// Upgrades `GET path` and returns the connected client; throws when the server refuses.
    static func connect(port: Int, path: String, token: String?, protocols: [String],
                        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> ExecWebSocketClient {
        let recorder = Recorder()
        let upgraded = group.next().makePromise(of: String?.self)
        let bootstrap = ClientBootstrap(group: group).channelInitializer { channel in
            let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24, automaticErrorHandling: false) { channel, response in
                upgraded.succeed(response.headers.first(name: "Sec-WebSocket-Protocol"))
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    sync.removeHandler(name: UpgradeRequestSender.name, promise: nil)
                    try sync.addHandler(RecordingHandler(recorder: recorder))
                }
            }
            return channel.eventLoop.makeCompletedFuture {
                let sync = channel.pipeline.syncOperations
                try sync.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes, withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                try sync.addHandler(UpgradeRequestSender(path: path, token: token, protocols: protocols, failed: upgraded),
                                    name: UpgradeRequestSender.name)
            }
        }
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port).get()
        channel.closeFuture.whenComplete { _ in upgraded.fail(Failure(description: "connection closed before the upgrade")) }
        do {
            let proto = try await upgraded.futureResult.get()
            return ExecWebSocketClient(channel: channel, negotiated: proto, recorder: recorder)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// One binary message `[channel] + payload`.
    func send(channel number: UInt8, _ payload: [UInt8]) async throws {
        try await sendFrame(.binary, [number] + payload)
    }

    func send(channel number: UInt8, _ text: String) async throws {
        try await send(channel: number, Array(text.utf8))
    }

    /// The v5 CLOSE signal for stdin.
    func closeStdin() async throws {
        try await sendFrame(.binary, [255, 0])
    }

    func resize(width: Int, height: Int) async throws {
        try await send(channel: 4, #"{"Width":\#(width),"Height":\#(height)}"#)
    }

    func sendFrame(_ opcode: WebSocketOpcode, _ bytes: [UInt8], fin: Bool = true) async throws {
        let frame = WebSocketFrame(fin: fin, opcode: opcode, maskKey: .random(), data: channel.allocator.buffer(bytes: bytes))
        try await channel.writeAndFlush(frame)
    }

    /// Sends a close frame (the client hangs up first).
    func close(code: UInt16 = 1000) async throws {
        var data = channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data))
    }

    var transcript: Transcript { recorder.transcript }

    /// Waits until `condition` holds for what was received (false when the connection ended first
    /// without it, or after `timeout` seconds).
    func wait(timeout: Double = 10, until condition: @escaping @Sendable (Transcript) -> Bool) async -> Bool {
        await recorder.wait(timeout: timeout, until: condition)
    }

    /// Waits for the end of the connection and returns the transcript.
    func finish(timeout: Double = 10) async -> Transcript {
        _ = await wait(timeout: timeout) { $0.ended }
        try? await channel.close()
        return transcript
    }

    /// Records server messages and wakes waiters.
    final class Recorder: Sendable {
        private struct State {
            var transcript = Transcript()
            var waiters: [UUID: (condition: @Sendable (Transcript) -> Bool, continuation: CheckedContinuation<Bool, Never>)] = [:]
        }

        private let state = Mutex(State())

        var transcript: Transcript { state.withLock { $0.transcript } }

        func update(_ change: (inout Transcript) -> Void) {
            let ready: [CheckedContinuation<Bool, Never>] = state.withLock { s in
                change(&s.transcript)
                var ready: [CheckedContinuation<Bool, Never>] = []
                for (id, w) in s.waiters where w.condition(s.transcript) || s.transcript.ended {
                    ready.append(w.continuation)
                    s.waiters[id] = nil
                }
                return ready
            }
            for c in ready { c.resume(returning: true) }
        }

        func wait(timeout: Double, until condition: @escaping @Sendable (Transcript) -> Bool) async -> Bool {
            let id = UUID()
            let deadline = Task {
                try await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.continuation.resume(returning: false)
            }
            defer { deadline.cancel() }
            _ = await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                let now = state.withLock { s in
                    if condition(s.transcript) || s.transcript.ended { return true }
                    s.waiters[id] = (condition, c)
                    return false
                }
                if now { c.resume(returning: true) }
            }
            return condition(transcript)
        }
    }
}

/// Sends the upgrade request once the connection is up; fails the upgrade on a non-101 answer.
private final class UpgradeRequestSender: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart
    static let name = "upgrade-request"

    let path: String
    let token: String?
    let protocols: [String]
    let failed: EventLoopPromise<String?>

    init(path: String, token: String?, protocols: [String], failed: EventLoopPromise<String?>) {
        self.path = path
        self.token = token
        self.protocols = protocols
        self.failed = failed
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders([("Host", "127.0.0.1"), ("Content-Length", "0")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if !protocols.isEmpty { headers.add(name: "Sec-WebSocket-Protocol", value: protocols.joined(separator: ", ")) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let response) = unwrapInboundIn(data) {
            failed.fail(ExecWebSocketClient.Failure(description: "upgrade refused: \(response.status.code)"))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failed.fail(error)
        context.close(promise: nil)
    }
}

/// Records the server's frames and answers its close frame.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let recorder: ExecWebSocketClient.Recorder

    init(recorder: ExecWebSocketClient.Recorder) { self.recorder = recorder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        let bytes = payload.readBytes(length: payload.readableBytes) ?? []
        switch frame.opcode {
        case .binary:
            recorder.update { $0.messages.append((bytes.first ?? 0, Array(bytes.dropFirst()))) }
        case .pong:
            recorder.update { $0.pongs.append(bytes) }
        case .connectionClose:
            let code = bytes.count >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : 1005
            recorder.update { $0.closeCode = code }
            var reply = context.channel.allocator.buffer(capacity: 2)
            reply.writeInteger(code == 1005 ? 1000 : code)
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: reply)),
                                  promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        recorder.update { $0.ended = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
