import Glibc
@testable import KubeClient
import KubeCore
import KubeTestServer
import Testing
import KubeTestSupport

/// A raw TCP server that upgrades one port-forward WebSocket and then plays a script of frame
/// bytes, a few bytes per send (so frames, headers and port prefixes arrive split every which
/// way), then records every byte the client sends until it closes. The forwarder's pod → local
/// pump takes frames apart in place (`PortForwardDownstream`), so these check its framing
/// against what the test server never sends: fragments, pings between fragments, bad frames.
private final class ScriptedPortForwardServer: @unchecked Sendable {
    let port: UInt16
    private let listener: PortForwardListener
    private var thread: KubeThread?
    private let received = ConditionLock()
    private var clientBytes: [UInt8]?

    init(script: [UInt8]) throws {
        listener = try PortForwardListener(address: "127.0.0.1", port: 0)
        port = listener.port
        thread = try KubeThread.spawn(name: "scripted-pf") { [self, listener] in
            guard let fd = listener.accept() else { return }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let key = readUpgradeKey(fd)
            let answer = Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key))\r\n"
                + "Sec-WebSocket-Protocol: portforward.k8s.io\r\n\r\n").utf8)
            sendAll(fd, answer)
            var offset = 0
            var piece = 1
            while offset < script.count {
                let end = min(script.count, offset + piece)
                sendAll(fd, script[offset..<end])
                offset = end
                piece = piece % 13 + 1
            }
            var fromClient: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                fromClient += buffer[0..<count]
            }
            close(fd)
            received.withLock {
                clientBytes = fromClient
                received.broadcast()
            }
        }
    }

    /// The client's frames (unmasked), once it closed the connection.
    func clientFrames() -> [(opcode: UInt8, payload: [UInt8])] {
        let bytes = received.withLock { () -> [UInt8] in
            while clientBytes == nil { received.wait() }
            return clientBytes ?? []
        }
        var frames: [(UInt8, [UInt8])] = []
        var index = 0
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            index += 2
            if length == 126 {
                length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
            } else if length == 127 {
                length = bytes[index..<(index + 8)].reduce(0) { $0 << 8 | Int($1) }
                index += 8
            }
            let key = Array(bytes[index..<(index + 4)])
            index += 4
            guard index + length <= bytes.count else { break }
            frames.append((opcode, bytes[index..<(index + length)].enumerated().map { $1 ^ key[$0 & 3] }))
            index += length
        }
        return frames
    }

    func stop() {
        listener.wake()
        thread?.join()
        listener.closeAll()
    }

    var client: KubeClient {
        get throws {
            try KubeClient(config: RESTConfig(host: "http://127.0.0.1:\(port)", qps: -1),
                           options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        }
    }
}

/// Server frames (unmasked).
private enum Frames {
    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = false) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            out.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(maskBit | 127)
            out += (0..<8).map { UInt8((UInt64(payload.count) >> UInt64(56 - 8 * $0)) & 0xFF) }
        }
        if masked { out += [0, 0, 0, 0] }
        return out + payload
    }

    static func binary(_ payload: [UInt8], fin: Bool = true) -> [UInt8] { frame(0x2, payload, fin: fin) }
    static func continuation(_ payload: [UInt8], fin: Bool) -> [UInt8] { frame(0x0, payload, fin: fin) }
    static func close(_ code: UInt16) -> [UInt8] { frame(0x8, [UInt8(code >> 8), UInt8(code & 0xFF)]) }
    /// Port 8080, little-endian, as each channel's first bytes.
    static let prefixes = binary([0, 0x90, 0x1F]) + binary([1, 0x90, 0x1F])
}

/// Connects to the forwarder, writes `upload` (then half-closes when told), reads to end-of-file.
private func exchange(port: UInt16, upload: [UInt8], halfClose: Bool = false) throws -> [UInt8] {
    let client = try LocalClient(port: port)
    client.write(upload)
    if halfClose { client.closeWrite() }
    return client.read()
}

@Suite("Port-forwarder framing against a scripted server")
struct PortForwarderFramingTests {
    @Test("8 MiB in both directions through the local forwarder arrive intact and in order")
    func largeThroughForwarder() async throws {
        try await withEchoPod { pod in
            let forwarder = try pod.startForwarder()
            defer { forwarder.stop() }
            var generator = SeededGenerator(defaultSeed: 31)
            let payload = (0..<(8 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let client = try LocalClient(port: forwarder.localPort)
            // Odd write and read sizes, so frames and reads never line up with the buffers.
            let writer = try KubeThread.spawn(name: "test-pf-writer") {
                var offset = 0
                while offset < payload.count {
                    let end = min(payload.count, offset + 300_001)
                    client.write(payload[offset..<end])
                    offset = end
                }
            }
            let received = client.read(payload.count, chunk: 100_003)
            writer.join()
            #expect(received.count == payload.count)
            #expect(received == payload)
        }
    }

    @Test("fragments, pings between fragments and split port prefixes reach the local socket intact; local bytes go up")
    func fragmentsAndPings() async throws {
        try await offPool {
            let big = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            var script = Frames.binary([0, 0x90]) + Frames.binary([0, 0x1F]) + Frames.binary([1, 0x90, 0x1F])
            script += Frames.binary([0] + Array("hel".utf8), fin: false)
            script += Frames.frame(0x9, Array("p1".utf8))
            script += Frames.continuation(Array("lo ".utf8), fin: false)
            script += Frames.continuation(Array("wor".utf8), fin: true)
            script += Frames.binary([0] + Array("ld".utf8) + big)
            script += Frames.binary([0])
            script += Frames.binary([7] + Array("another port's channel".utf8))
            script += Frames.close(1000)
            let server = try ScriptedPortForwardServer(script: script)
            defer { server.stop() }
            let forwarder = try server.client.startPortForwarder(namespace: "default", pod: "p", remotePort: 8080)
            defer { forwarder.stop() }
            // The local end-of-file closes the WebSocket (no half-close in the protocol); what the
            // server sends until its own close still arrives.
            let local = try exchange(port: forwarder.localPort, upload: Array("up".utf8), halfClose: true)
            #expect(local == Array("hello world".utf8) + big)
            let frames = server.clientFrames()
            #expect(frames.contains { $0.opcode == 0xA && $0.payload == Array("p1".utf8) })
            #expect(frames.filter { $0.opcode == 0x2 }.flatMap(\.payload) == [0] + Array("up".utf8))
            #expect(frames.filter { $0.opcode == 0x8 }.map { Array($0.payload.prefix(2)) } == [[0x03, 0xE8]])
        }
    }

    @Test("the error channel's message ends the local connection after the data sent before it")
    func errorChannel() async throws {
        try await offPool {
            let script = Frames.prefixes + Frames.binary([0] + Array("abc".utf8))
                + Frames.binary([1] + Array("error forwarding port 8080 to pod p: connection refused\n".utf8))
            let server = try ScriptedPortForwardServer(script: script)
            defer { server.stop() }
            let forwarder = try server.client.startPortForwarder(namespace: "default", pod: "p", remotePort: 8080)
            defer { forwarder.stop() }
            #expect(try exchange(port: forwarder.localPort, upload: []) == Array("abc".utf8))
            #expect(server.clientFrames().last?.opcode == 0x8)
        }
    }

    @Test("a frame the client must refuse ends the connection with the matching close code",
          arguments: [
              (Frames.frame(0x2, [0, 1, 2], masked: true), UInt16(1002)),
              ([0x82, 127, 0, 0, 0, 0, 0x04, 0, 0, 0], UInt16(1009)),
              (Frames.continuation([0, 1], fin: true), UInt16(1002)),
              ([0xC2, 1, 0], UInt16(1002)),
          ])
    func refusedFrames(frame: [UInt8], code: UInt16) async throws {
        try await offPool {
            let server = try ScriptedPortForwardServer(script: Frames.prefixes + Frames.binary([0] + Array("ok".utf8)) + frame)
            defer { server.stop() }
            let forwarder = try server.client.startPortForwarder(namespace: "default", pod: "p", remotePort: 8080)
            defer { forwarder.stop() }
            #expect(try exchange(port: forwarder.localPort, upload: []) == Array("ok".utf8))
            let close = server.clientFrames().last
            #expect(close?.opcode == 0x8)
            #expect(close.map { Array($0.payload.prefix(2)) } == [UInt8(code >> 8), UInt8(code & 0xFF)])
        }
    }
}
