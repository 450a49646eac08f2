@testable import KubeClient
import KubeCore
import Testing
import KubeTestSupport

/// Frames as a server writes them: unmasked, FIN as asked.
private func serverFrame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
    var frame: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
    if payload.count < 126 {
        frame.append(UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
        frame += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
        frame.append(127)
        for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
    }
    return frame + payload
}

/// Decodes a client frame (masked) back to opcode, FIN and payload.
private func unmaskClientFrame(_ frame: [UInt8]) -> (opcode: UInt8, fin: Bool, masked: Bool, payload: [UInt8])? {
    guard frame.count >= 2 else { return nil }
    var length = Int(frame[1] & 0x7F)
    var index = 2
    if length == 126 {
        length = Int(frame[2]) << 8 | Int(frame[3]); index = 4
    } else if length == 127 {
        length = 0
        for i in 0..<8 { length = length << 8 | Int(frame[2 + i]) }
        index = 10
    }
    let masked = frame[1] & 0x80 != 0
    var key: [UInt8] = [0, 0, 0, 0]
    if masked { key = Array(frame[index..<index + 4]); index += 4 }
    guard frame.count == index + length else { return nil }
    let payload = frame[index...].enumerated().map { $0.element ^ key[$0.offset % 4] }
    return (frame[0] & 0x0F, frame[0] & 0x80 != 0, masked, payload)
}

@Suite("WebSocket frame codec")
struct WebSocketFrameCodecTests {
    @Test("client frames are masked and unmask to the payload, for every length form")
    func clientFramesAreMasked() throws {
        for size in [0, 1, 5, 125, 126, 127, 1000, 65_535, 65_536, 200_000] {
            let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let frame = WebSocketFrame.encode(opcode: .binary, payload: payload)
            let decoded = try #require(unmaskClientFrame(frame))
            #expect(decoded.masked)
            #expect(decoded.fin)
            #expect(decoded.opcode == 0x2)
            #expect(decoded.payload == payload, "size \(size)")
        }
    }

    @Test("each frame gets a fresh mask key")
    func maskKeysDiffer() {
        let payload = [UInt8](repeating: 0, count: 16)
        let keys = Set((0..<32).map { _ in Array(WebSocketFrame.encode(opcode: .binary, payload: payload)[2..<6]) })
        #expect(keys.count > 1)
    }

    @Test("masking at any key phase matches byte-wise XOR")
    func maskingPhases() {
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        for offset in 0..<4 {
            for size in [0, 1, 3, 7, 8, 9, 31, 100] {
                var bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0) }
                let expected = bytes.enumerated().map { $0.element ^ key[($0.offset + offset) % 4] }
                bytes.withUnsafeMutableBufferPointer { WebSocketFrame.applyMask(key, to: $0, keyOffset: offset) }
                #expect(bytes == expected)
            }
        }
    }

    @Test("a message split into fragments is reassembled, with control frames between them")
    func fragmentsWithInterleavedControlFrames() throws {
        var decoder = WebSocketFrameDecoder()
        decoder.append(serverFrame(0x2, [1, 2], fin: false))
        decoder.append(serverFrame(0x9, [7]))                 // ping between fragments
        decoder.append(serverFrame(0x0, [3, 4], fin: false))
        decoder.append(serverFrame(0xA, []))                  // pong between fragments
        decoder.append(serverFrame(0x0, [5], fin: true))
        #expect(try decoder.next() == .ping([7]))
        #expect(try decoder.next() == .pong([]))
        #expect(try decoder.next() == .binary([1, 2, 3, 4, 5]))
        #expect(try decoder.next() == nil)
    }

    @Test("bytes arriving one at a time decode to the same messages")
    func byteByByte() throws {
        let stream = serverFrame(0x2, Array(repeating: 9, count: 300)) + serverFrame(0x1, Array("hi".utf8))
            + serverFrame(0x8, WebSocketFrame.closePayload(code: 1000, reason: "bye"))
        var decoder = WebSocketFrameDecoder()
        var messages: [WebSocketMessage] = []
        for byte in stream {
            decoder.append([byte])
            while let message = try decoder.next() { messages.append(message) }
        }
        #expect(messages == [.binary(Array(repeating: 9, count: 300)), .text(Array("hi".utf8)),
                             .close(code: 1000, reason: "bye")])
    }

    @Test("randomly split streams of random messages decode exactly")
    func randomizedSplits() throws {
        var generator = SeededGenerator(defaultSeed: 37)
        for _ in 0..<200 {
            var expected: [WebSocketMessage] = []
            var wire: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let size = [0, 1, 125, 126, 1000, 70_000].randomElement(using: &generator) ?? 0
                let payload = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let pieces = Int.random(in: 1...3, using: &generator)
                if pieces == 1 || payload.count < 3 {
                    wire += serverFrame(0x2, payload)
                } else {
                    let cut1 = payload.count / 3, cut2 = 2 * payload.count / 3
                    wire += serverFrame(0x2, Array(payload[..<cut1]), fin: false)
                    wire += serverFrame(0x9, [1, 2, 3])
                    expected.append(.ping([1, 2, 3]))
                    wire += serverFrame(0x0, Array(payload[cut1..<cut2]), fin: false)
                    wire += serverFrame(0x0, Array(payload[cut2...]), fin: true)
                }
                expected.append(.binary(payload))
            }
            var decoder = WebSocketFrameDecoder()
            var got: [WebSocketMessage] = []
            var index = 0
            while index < wire.count {
                let end = min(wire.count, index + Int.random(in: 1...20_000, using: &generator))
                decoder.append(Array(wire[index..<end]))
                while let message = try decoder.next() { got.append(message) }
                index = end
            }
            #expect(got == expected)
            #expect(decoder.pendingByteCount == 0)
        }
    }

    @Test("a message over the size limit is refused from its header, before its payload arrives")
    func oversizeRefused() {
        var decoder = WebSocketFrameDecoder(maxMessageSize: 1000)
        // Only the header of a 2 000-byte frame: refused without waiting for the payload.
        decoder.append([0x82, 126, 0x07, 0xD0])
        #expect(throws: WebSocketViolation.self) { try decoder.next() }
        do {
            _ = try decoder.next()
        } catch {
            #expect(error.closeCode == 1009)
            #expect(error.kubeError.description.contains("larger than the limit of 1000 bytes"))
        }
    }

    @Test("fragments adding up to more than the limit are refused")
    func oversizeAcrossFragments() throws {
        var decoder = WebSocketFrameDecoder(maxMessageSize: 100)
        decoder.append(serverFrame(0x2, Array(repeating: 0, count: 60), fin: false))
        #expect(try decoder.next() == nil)
        decoder.append(serverFrame(0x0, Array(repeating: 0, count: 60), fin: true))
        #expect(throws: WebSocketViolation.self) { try decoder.next() }
    }

    @Test("the default limit is 32 MiB")
    func defaultLimit() {
        #expect(WebSocketFrameDecoder().maxMessageSize == 32 << 20)
        var decoder = WebSocketFrameDecoder()
        decoder.append([0x82, 127, 0, 0, 0, 0, 0x02, 0, 0, 1])  // 32 MiB + 1
        #expect(throws: WebSocketViolation.self) { try decoder.next() }
    }

    @Test("malformed frames are refused with a protocol error", arguments: [
        ([0xC2, 0x00] as [UInt8], "reserved bits"),              // RSV1 set
        ([0x83, 0x00], "unknown opcode"),                         // opcode 3
        ([0x82, 0x81, 1, 2, 3, 4, 0], "masked frame"),            // masked server frame
        ([0x09, 0x00], "fragmented control frame"),               // ping without FIN
        ([0x89, 126, 0, 126] + Array(repeating: 0, count: 126), "control frame of 126 bytes"),
        ([0x80, 0x00], "continuation frame outside"),             // continuation first
        ([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1], "most significant bit"),
        ([0x88, 0x01, 0x03], "1-byte body"),                       // close with 1-byte body
    ])
    func malformed(frame: [UInt8], expected: String) {
        var decoder = WebSocketFrameDecoder()
        decoder.append(frame)
        do {
            _ = try decoder.next()
            Issue.record("accepted a malformed frame: \(expected)")
        } catch {
            #expect(error.closeCode == 1002)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test("a new data message inside a fragmented one is refused")
    func newMessageInsideFragments() {
        var decoder = WebSocketFrameDecoder()
        decoder.append(serverFrame(0x2, [1], fin: false) + serverFrame(0x2, [2]))
        #expect(throws: WebSocketViolation.self) { try decoder.next() }
    }

    @Test("close frames carry their code and reason; an empty one has none")
    func closeFrames() throws {
        var decoder = WebSocketFrameDecoder()
        decoder.append(serverFrame(0x8, []))
        decoder.append(serverFrame(0x8, WebSocketFrame.closePayload(code: 1011, reason: "oops")))
        #expect(try decoder.next() == .close(code: nil, reason: ""))
        #expect(try decoder.next() == .close(code: 1011, reason: "oops"))
    }
}

@Suite("WebSocket handshake")
struct WebSocketHandshakeTests {
    @Test("Sec-WebSocket-Accept is computed as RFC 6455 §1.3 shows")
    func acceptKey() {
        #expect(WebSocketHandshake.accept(for: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("SHA-1 and base64 match known vectors")
    func sha1Vectors() {
        #expect(Base64.encode(WebSocketSHA1.digest(Array("abc".utf8))) == "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")
        #expect(Base64.encode(WebSocketSHA1.digest([])) == "2jmj7l5rSw0yVb/vlWAYkK/YBwk=")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(Base64.encode(WebSocketSHA1.digest(long)) == "hJg+RBw70m66rkqh+VEp5eVGcPE=")
        #expect(Base64.encode([1]) == "AQ==")
        #expect(Base64.encode([1, 2]) == "AQI=")
    }

    @Test("the upgrade request offers the protocols in order and carries the transport's headers")
    func request() {
        let handshake = WebSocketHandshake(protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"])
        let text = String(decoding: handshake.request(pathAndQuery: "/api/v1/x?y=1", hostHeader: "h:443",
                                                      headerLines: ["Authorization: Bearer t"]), as: UTF8.self)
        #expect(text.hasPrefix("GET /api/v1/x?y=1 HTTP/1.1\r\nHost: h:443\r\nAuthorization: Bearer t\r\n"))
        #expect(text.contains("\r\nSec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n"))
        #expect(text.contains("\r\nSec-WebSocket-Key: \(handshake.key)\r\n"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    private func head(_ handshake: WebSocketHandshake, accept: String? = nil, proto: String?) -> HTTPResponseHead? {
        var text = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        text += "Sec-WebSocket-Accept: \(accept ?? WebSocketHandshake.accept(for: handshake.key))\r\n"
        if let proto { text += "Sec-WebSocket-Protocol: \(proto)\r\n" }
        return HTTPResponseHead(Array(text.utf8)[...])
    }

    @Test("the server's choice of subprotocol is returned; a wrong accept or protocol is refused")
    func verify() throws {
        let handshake = WebSocketHandshake(protocols: ["v5.channel.k8s.io", "v4.channel.k8s.io"])
        #expect(try handshake.verify(#require(head(handshake, proto: "v4.channel.k8s.io"))) == "v4.channel.k8s.io")
        #expect(throws: KubeError.self) { try handshake.verify(#require(head(handshake, accept: "bad", proto: "v5.channel.k8s.io"))) }
        #expect(throws: KubeError.self) { try handshake.verify(#require(head(handshake, proto: nil))) }
        do {
            _ = try handshake.verify(#require(head(handshake, proto: "v3.channel.k8s.io")))
            Issue.record("accepted a protocol that was not offered")
        } catch {
            #expect("\(error)".contains("unsupported protocol version"))
        }
    }

    @Test("a chunked error body is decoded once complete")
    func dechunk() {
        let body = Array("5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n".utf8)
        #expect(Transport.dechunk(body) == Array("hello world".utf8))
        #expect(Transport.dechunk(Array(body.prefix(10))) == nil)
    }
}

@Suite("Exec channel protocol")
struct ExecChannelProtocolTests {
    @Test("status channel: Success is 0, NonZeroExitCode carries the code, other failures are errors")
    func statuses() throws {
        #expect(try ExecChannelProtocol.exitStatus(Array(#"{"metadata":{},"status":"Success"}"#.utf8)).get() == 0)
        let nonZero = #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#
        #expect(try ExecChannelProtocol.exitStatus(Array(nonZero.utf8)).get() == 3)
        let failure = #"{"metadata":{},"status":"Failure","message":"container not found (\"x\")","reason":"InternalError","code":500}"#
        switch ExecChannelProtocol.exitStatus(Array(failure.utf8)) {
        case .success: Issue.record("a failure read as an exit code")
        case .failure(let error):
            #expect(error.status?.message == "container not found (\"x\")")
            #expect(error.status?.code == 500)
        }
        #expect(try ExecChannelProtocol.exitStatus([]).get() == 0)
        if case .success = ExecChannelProtocol.exitStatus(Array("not json".utf8)) { Issue.record("garbage read as success") }
    }

    @Test("resize messages are channel 4 with Width and Height")
    func resize() {
        #expect(ExecChannelProtocol.resizeMessage(width: 80, height: 24) == [4] + Array(#"{"Width":80,"Height":24}"#.utf8))
    }

    @Test("port-forward strips the port prefix of each channel's first message and reports the error channel")
    func portForwardPrefix() {
        let state = PortForwardProtocol.ReaderState(port: 8080)
        let port: [UInt8] = [0x90, 0x1F]
        if case .ignore = PortForwardProtocol.interpret(channel: 0, payload: port[...], state: state) {} else { Issue.record("prefix delivered") }
        if case .deliver(_, let bytes) = PortForwardProtocol.interpret(channel: 0, payload: [0x90, 0x1F][...], state: state) {
            #expect(bytes == [0x90, 0x1F])  // after the prefix the same bytes are data
        } else { Issue.record("data dropped") }
        let withData = PortForwardProtocol.ReaderState(port: 8080)
        if case .deliver(_, let bytes) = PortForwardProtocol.interpret(channel: 0, payload: (port + [1, 2])[...], state: withData) {
            #expect(bytes == [1, 2])
        } else { Issue.record("data after the prefix dropped") }
        let errorText = Array("error forwarding port 8080: connection refused".utf8)
        if case .outcome(.failure(let error)) = PortForwardProtocol.interpret(channel: 1, payload: (port + errorText)[...], state: state) {
            #expect(error.status?.message == "error forwarding port 8080: connection refused")
        } else { Issue.record("error channel not reported") }
    }
}
