import Foundation
import NIOCore
import Testing
@testable import KubeTestServer
import KubeTestSupport

/// `pods/portforward` over SPDY/3.1, as kubectl speaks it: raw (`Upgrade: SPDY/3.1`) and tunnelled
/// in WebSocket binary messages (`SPDY/3.1+portforward.k8s.io`), against a local echo server.
@Suite("Port-forward over SPDY/3.1")
struct PortForwardSPDYTests {
    static let path = "/api/v1/namespaces/default/pods/web/portforward"

    enum Transport: CaseIterable, CustomStringConvertible {
        case raw, tunnelled
        var description: String { self == .raw ? "raw SPDY upgrade" : "SPDY tunnelled in WebSocket" }
    }

    static func connect(_ transport: Transport, server: KubeTestServer) async throws -> SPDYTestClient {
        switch transport {
        case .raw: try await SPDYTestClient.connectRaw(port: server.port, path: path, token: server.adminToken)
        case .tunnelled: try await SPDYTestClient.connectTunnelled(port: server.port, path: path, token: server.adminToken)
        }
    }

    @Test("the upgrade negotiates portforward.k8s.io", arguments: Transport.allCases)
    func negotiation(_ transport: Transport) async throws {
        try await withPortForwardServer { server, _ in
            let client = try await Self.connect(transport, server: server)
            switch transport {
            case .raw:
                let head = client.responseHead.lowercased()
                #expect(head.hasPrefix("http/1.1 101"), "\(client.responseHead)")
                #expect(head.contains("upgrade: spdy/3.1"), "\(client.responseHead)")
                #expect(head.contains("x-stream-protocol-version: portforward.k8s.io"), "\(client.responseHead)")
            case .tunnelled:
                #expect(client.negotiatedWebSocketProtocol == "SPDY/3.1+portforward.k8s.io")
            }
            await client.shutdown()
        }
    }

    @Test("a stream pair forwards bytes; FIN half-closes the target and its EOF FINs both streams",
          arguments: Transport.allCases)
    func roundTrip(_ transport: Transport) async throws {
        try await withPortForwardServer { server, echo in
            let client = try await Self.connect(transport, server: server)
            for frame in portForwardStreams(requestID: 0, errorStream: 1, dataStream: 3) { try await client.send(frame) }
            let replies = try await client.receive(until: { if case .synReply(3, _, _) = $0 { true } else { false } })
            #expect(replies.compactMap(\.streamID) == [1, 3])
            try await client.send(.data(streamID: 3, flags: 0, payload: ByteBuffer(string: "hello over spdy")))
            try await client.send(.data(streamID: 3, flags: SPDY.flagFin, payload: ByteBuffer()))
            var echoed: [UInt8] = []
            var dataFin = false, errorFin = false
            while !(dataFin && errorFin), let frame = try await client.receive() {
                guard case .data(let id, _, _) = frame else { continue }
                if id == 3 { echoed += frame.dataPayload ?? []; dataFin = dataFin || frame.isFin }
                if id == 1 { #expect(frame.dataPayload == []); errorFin = errorFin || frame.isFin }
            }
            #expect(String(decoding: echoed, as: UTF8.self) == "hello over spdy")
            #expect(dataFin && errorFin)
            #expect(await eventually { echo.openConnections == 0 })
            await client.shutdown()
        }
    }

    @Test("many forwarded connections share one SPDY connection", arguments: Transport.allCases)
    func concurrentStreams(_ transport: Transport) async throws {
        try await withPortForwardServer { server, _ in
            let client = try await Self.connect(transport, server: server)
            let count = 16
            var payloads: [UInt32: [UInt8]] = [:]
            for i in 0..<count {
                let errorStream = UInt32(4 * i + 1), dataStream = UInt32(4 * i + 3)
                for frame in portForwardStreams(requestID: i, errorStream: errorStream, dataStream: dataStream) {
                    try await client.send(frame)
                }
                let payload = patternBytes(count: 50_000 + i, seed: UInt64(i + 7))
                payloads[dataStream] = payload
                try await client.send(.data(streamID: dataStream, flags: 0, payload: ByteBuffer(bytes: payload)))
                try await client.send(.data(streamID: dataStream, flags: SPDY.flagFin, payload: ByteBuffer()))
            }
            var echoed: [UInt32: [UInt8]] = [:]
            var finished = Set<UInt32>()
            while finished.count < count, let frame = try await client.receive() {
                guard case .data(let id, _, _) = frame, payloads[id] != nil else { continue }
                echoed[id, default: []] += frame.dataPayload ?? []
                if frame.isFin { finished.insert(id) }
            }
            for (id, payload) in payloads { #expect(echoed[id] == payload, "stream \(id)") }
            await client.shutdown()
        }
    }

    @Test("an 8 MiB payload arrives intact", arguments: Transport.allCases)
    func largePayload(_ transport: Transport) async throws {
        try await withPortForwardServer { server, _ in
            let client = try await Self.connect(transport, server: server)
            for frame in portForwardStreams(requestID: 0, errorStream: 1, dataStream: 3) { try await client.send(frame) }
            let payload = patternBytes(count: 8 << 20, seed: 3)
            async let sent: Void = {
                for start in stride(from: 0, to: payload.count, by: 32_768) {
                    let chunk = ByteBuffer(bytes: payload[start..<min(start + 32_768, payload.count)])
                    try await client.send(.data(streamID: 3, flags: 0, payload: chunk))
                }
                try await client.send(.data(streamID: 3, flags: SPDY.flagFin, payload: ByteBuffer()))
            }()
            var echoed: [UInt8] = []
            echoed.reserveCapacity(payload.count)
            while let frame = try await client.receive() {
                guard case .data(3, _, _) = frame else { continue }
                echoed += frame.dataPayload ?? []
                if frame.isFin { break }
            }
            try await sent
            #expect(echoed.count == payload.count)
            #expect(echoed == payload)
            await client.shutdown()
        }
    }

    @Test("a refused target is reported on the error stream, then both streams end", arguments: Transport.allCases)
    func refusedTarget(_ transport: Transport) async throws {
        try await withPortForwardServer { server, _ in
            let dead = try refusedPort()
            server.registerPortForward(pod: "web", port: 8080, to: "127.0.0.1", port: dead)
            let client = try await Self.connect(transport, server: server)
            for frame in portForwardStreams(requestID: 0, errorStream: 1, dataStream: 3) { try await client.send(frame) }
            var message: [UInt8] = []
            var errorFin = false, dataFin = false
            while !(errorFin && dataFin), let frame = try await client.receive() {
                guard case .data(let id, _, _) = frame else { continue }
                if id == 1 { message += frame.dataPayload ?? []; errorFin = errorFin || frame.isFin }
                if id == 3 { dataFin = dataFin || frame.isFin }
            }
            let text = String(decoding: message, as: UTF8.self)
            #expect(text.hasPrefix("error forwarding port 8080 to pod web, uid "), "\(text)")
            #expect(text.contains("failed to connect to 127.0.0.1:\(dead)"), "\(text)")
            await client.shutdown()
        }
    }

    @Test("PING is answered; streams without a port or type are refused with RST_STREAM", arguments: Transport.allCases)
    func pingAndInvalidStreams(_ transport: Transport) async throws {
        try await withPortForwardServer { server, _ in
            let client = try await Self.connect(transport, server: server)
            try await client.send(.ping(id: 1))
            #expect(try await client.receive() == .ping(id: 1))
            try await client.send(.synStream(streamID: 1, associatedStreamID: 0, priority: 0, flags: 0,
                                             headers: [SPDYHeaderField(name: "streamtype", value: "data")]))
            #expect(try await client.receive() == .rstStream(streamID: 1, status: SPDY.RstStatus.cancel))
            try await client.send(.synStream(streamID: 3, associatedStreamID: 0, priority: 0, flags: 0,
                                             headers: [SPDYHeaderField(name: "port", value: "8080"),
                                                       SPDYHeaderField(name: "streamtype", value: "bogus")]))
            #expect(try await client.receive() == .rstStream(streamID: 3, status: SPDY.RstStatus.cancel))
            await client.shutdown()
        }
    }

    @Test("RST_STREAM on the data stream drops the target; closing the connection drops them all",
          arguments: Transport.allCases)
    func resetAndClose(_ transport: Transport) async throws {
        try await withPortForwardServer { server, echo in
            let client = try await Self.connect(transport, server: server)
            for frame in portForwardStreams(requestID: 0, errorStream: 1, dataStream: 3)
                + portForwardStreams(requestID: 1, errorStream: 5, dataStream: 7) {
                try await client.send(frame)
            }
            #expect(await eventually { echo.openConnections == 2 })
            try await client.send(.rstStream(streamID: 3, status: SPDY.RstStatus.cancel))
            #expect(await eventually { echo.openConnections == 1 })
            // The reset pair's error stream still ends, so a client waiting on it is released.
            let frames = try await client.receive(until: { $0.streamID == 1 && $0.isFin })
            #expect(frames.last.map { $0.streamID == 1 && $0.isFin } == true)
            await client.shutdown()
            #expect(await eventually { echo.openConnections == 0 })
        }
    }
}
