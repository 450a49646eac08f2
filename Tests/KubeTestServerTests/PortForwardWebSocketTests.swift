import Foundation
import NIOCore
import NIOWebSocket
import Testing
@testable import KubeTestServer
import KubeTestSupport

/// `pods/portforward` over the WebSocket channel protocol (`portforward.k8s.io`), with a small
/// NIO WebSocket client against the test server and a local echo server as the pod's port.
@Suite("Port-forward over the WebSocket channel protocol")
struct PortForwardWebSocketTests {
    static let path = "/api/v1/namespaces/default/pods/web/portforward?ports=8080"

    /// A port-forward WebSocket to `web`'s port 8080, past the two channels' port prefixes.
    static func openChannels(_ server: KubeTestServer) async throws -> WebSocketTestClient {
        let ws = try await WebSocketTestClient.connect(port: server.port, path: path, token: server.adminToken,
                                                       protocols: ["portforward.k8s.io"])
        _ = await ws.receiveMessage()
        _ = await ws.receiveMessage()
        return ws
    }

    @Test("each channel's first frame is the port, then bytes round-trip through the target")
    func roundTrip() async throws {
        try await withPortForwardServer { server, _ in
            let ws = try await WebSocketTestClient.connect(port: server.port, path: Self.path, token: server.adminToken,
                                                           protocols: ["portforward.k8s.io"])
            #expect(ws.negotiatedProtocol == "portforward.k8s.io")
            let first = await ws.receiveMessage()
            let second = await ws.receiveMessage()
            #expect(first?.bytes == [0, 0x90, 0x1f])  // 8080 little-endian on the data channel
            #expect(second?.bytes == [1, 0x90, 0x1f])  // and on the error channel
            try await ws.send([0] + Array("hello, pod".utf8))
            var echoed: [UInt8] = []
            while echoed.count < 10, let message = await ws.receiveMessage() {
                #expect(message.bytes.first == 0)
                echoed += message.bytes.dropFirst()
            }
            #expect(String(decoding: echoed, as: UTF8.self) == "hello, pod")
            await ws.close()
            await ws.shutdown()
        }
    }

    @Test("two ports on one WebSocket get channels 0/1 and 2/3")
    func twoPorts() async throws {
        try await withPortForwardServer { server, echo in
            server.registerPortForward(pod: "web", port: 9090, to: "127.0.0.1", port: echo.port)
            let ws = try await WebSocketTestClient.connect(
                port: server.port, path: "/api/v1/namespaces/default/pods/web/portforward?ports=8080,9090",
                token: server.adminToken, protocols: ["portforward.k8s.io"])
            var prefixes: [[UInt8]] = []
            for _ in 0..<4 { prefixes.append(await ws.receiveMessage()?.bytes ?? []) }
            #expect(prefixes == [[0, 0x90, 0x1f], [1, 0x90, 0x1f], [2, 0x82, 0x23], [3, 0x82, 0x23]])
            try await ws.send([2] + Array("second".utf8))
            var echoed: [UInt8] = []
            while echoed.count < 6, let message = await ws.receiveMessage() {
                #expect(message.bytes.first == 2)
                echoed += message.bytes.dropFirst()
            }
            #expect(echoed == Array("second".utf8))
            await ws.close()
            await ws.shutdown()
        }
    }

    @Test("many concurrent WebSockets each get their own target connection")
    func concurrentConnections() async throws {
        try await withPortForwardServer { server, echo in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<24 {
                    group.addTask {
                        let ws = try await Self.openChannels(server)
                        let payload = patternBytes(count: 100_000 + i, seed: UInt64(i + 1))
                        for start in stride(from: 0, to: payload.count, by: 16_384) {
                            try await ws.send([0] + payload[start..<min(start + 16_384, payload.count)])
                        }
                        var echoed: [UInt8] = []
                        while echoed.count < payload.count, let message = await ws.receiveMessage() {
                            #expect(message.bytes.first == 0)
                            echoed += message.bytes.dropFirst()
                        }
                        #expect(echoed == payload, "connection \(i)")
                        await ws.close()
                        await ws.shutdown()
                    }
                }
                try await group.waitForAll()
            }
            #expect(await eventually { echo.openConnections == 0 })
        }
    }

    @Test("an 8 MiB payload arrives intact")
    func largePayload() async throws {
        try await withPortForwardServer { server, _ in
            let ws = try await Self.openChannels(server)
            let payload = patternBytes(count: 8 << 20, seed: 42)
            async let sent: Void = {
                for start in stride(from: 0, to: payload.count, by: 65_536) {
                    try await ws.send([0] + payload[start..<min(start + 65_536, payload.count)])
                }
            }()
            var echoed: [UInt8] = []
            echoed.reserveCapacity(payload.count)
            while echoed.count < payload.count, let message = await ws.receiveMessage() {
                #expect(message.bytes.first == 0)
                echoed += message.bytes.dropFirst()
            }
            try await sent
            #expect(echoed.count == payload.count)
            #expect(echoed == payload)
            await ws.close()
            await ws.shutdown()
        }
    }

    @Test("a refused target gives kubelet's message on the error channel, then the WebSocket closes")
    func refusedTarget() async throws {
        try await withPortForwardServer { server, _ in
            let dead = try refusedPort()
            server.registerPortForward(pod: "web", port: 8080, to: "127.0.0.1", port: dead)
            let ws = try await Self.openChannels(server)
            let error = await ws.receiveMessage()
            #expect(error?.bytes.first == 1)
            let text = String(decoding: error?.bytes.dropFirst() ?? [], as: UTF8.self)
            #expect(text.hasPrefix("error forwarding port 8080 to pod web, uid "), "\(text)")
            #expect(text.contains("failed to connect to 127.0.0.1:\(dead)"), "\(text)")
            #expect(await ws.receiveMessage() == nil)  // close
            await ws.shutdown()
        }
    }

    @Test("a port nobody registered fails like a port nothing listens on")
    func unregisteredPort() async throws {
        try await withPortForwardServer { server, _ in
            let ws = try await WebSocketTestClient.connect(
                port: server.port, path: "/api/v1/namespaces/default/pods/web/portforward?ports=7070",
                token: server.adminToken, protocols: ["portforward.k8s.io"])
            #expect(await ws.receiveMessage()?.bytes == [0, 0x9e, 0x1b])
            #expect(await ws.receiveMessage()?.bytes == [1, 0x9e, 0x1b])
            let error = await ws.receiveMessage()
            let text = String(decoding: error?.bytes.dropFirst() ?? [], as: UTF8.self)
            #expect(error?.bytes.first == 1)
            #expect(text.contains("error forwarding port 7070 to pod web, uid "), "\(text)")
            #expect(text.contains("failed to connect to localhost:7070"), "\(text)")
            await ws.shutdown()
        }
    }

    @Test("closing the WebSocket closes the target connection; ping gets pong")
    func closeAndPing() async throws {
        try await withPortForwardServer { server, echo in
            let ws = try await Self.openChannels(server)
            #expect(await eventually { echo.openConnections == 1 })
            try await ws.send(Array("are you there".utf8), opcode: .ping)
            var pong: WebSocketFrame?
            while let frame = await ws.receive() {
                if frame.opcode == .pong { pong = frame; break }
            }
            let data = pong?.unmaskedData
            #expect(data.map { String(buffer: $0) } == "are you there")
            await ws.close()
            #expect(await eventually { echo.openConnections == 0 })
            await ws.shutdown()
        }
    }

    @Test("the target closing its side closes the WebSocket")
    func targetCloses() async throws {
        try await withPortForwardServer { server, echo in
            let ws = try await Self.openChannels(server)
            #expect(await eventually { echo.openConnections == 1 })
            echo.stop()  // closes the echo server's connections too
            var closed = false
            while let frame = await ws.receive() {
                if frame.opcode == .connectionClose { closed = true; break }
            }
            #expect(closed)
            await ws.shutdown()
        }
    }
}
