import NIOCore
import Testing
import CZlib
@testable import KubeTestServer

@Suite("SPDY/3.1 frame codec")
struct SPDYCodecTests {
    static func roundTrip(_ frames: [SPDYFrame], chunk: Int? = nil) throws -> [SPDYFrame] {
        let encoder = try SPDYFrameEncoder()
        let decoder = try SPDYFrameDecoder()
        var wire = ByteBufferAllocator().buffer(capacity: 256)
        for frame in frames { try encoder.encode(frame, into: &wire) }
        var decoded: [SPDYFrame] = []
        if let chunk {
            while wire.readableBytes > 0, let piece = wire.readSlice(length: min(chunk, wire.readableBytes)) {
                decoder.append(piece)
                while let frame = try decoder.next() { decoded.append(frame) }
            }
        } else {
            decoder.append(wire)
            while let frame = try decoder.next() { decoded.append(frame) }
        }
        return decoded
    }

    static let sample: [SPDYFrame] = [
        .synStream(streamID: 1, associatedStreamID: 0, priority: 3, flags: 0,
                   headers: [SPDYHeaderField(name: "streamtype", value: "error"), SPDYHeaderField(name: "port", value: "8080"),
                             SPDYHeaderField(name: "requestid", value: "0")]),
        .synStream(streamID: 3, associatedStreamID: 0, priority: 0, flags: SPDY.flagFin,
                   headers: [SPDYHeaderField(name: "streamtype", value: "data"), SPDYHeaderField(name: "port", value: "8080"),
                             SPDYHeaderField(name: "requestid", value: "0")]),
        .synReply(streamID: 1, flags: 0, headers: []),
        .synReply(streamID: 3, flags: SPDY.flagFin, headers: [SPDYHeaderField(name: "x", value: "y")]),
        .headers(streamID: 3, flags: 0, headers: [SPDYHeaderField(name: "a", value: "1")]),
        .data(streamID: 3, flags: 0, payload: ByteBuffer(string: "payload")),
        .data(streamID: 3, flags: SPDY.flagFin, payload: ByteBuffer()),
        .rstStream(streamID: 3, status: SPDY.RstStatus.cancel),
        .settings(flags: 1, entries: [SPDYSetting(flags: 0, id: 7, value: 65_536), SPDYSetting(flags: 1, id: 4, value: 100)]),
        .ping(id: 1),
        .goAway(lastGoodStreamID: 5, status: SPDY.GoAwayStatus.ok),
        .windowUpdate(streamID: 3, delta: 1 << 20),
    ]

    @Test("every frame type round-trips, header blocks sharing one compression context per direction")
    func roundTripAll() throws {
        #expect(try Self.roundTrip(Self.sample) == Self.sample)
    }

    @Test("frames decode the same whatever the chunking of the byte stream")
    func chunking() throws {
        for chunk in [1, 2, 7, 64] {
            #expect(try Self.roundTrip(Self.sample, chunk: chunk) == Self.sample, "chunk \(chunk)")
        }
    }

    @Test("names are sent lowercase and NUL-joined values come back as separate fields")
    func headerNames() throws {
        let frames = try Self.roundTrip([.synReply(streamID: 1, flags: 0, headers: [SPDYHeaderField(name: "StreamType", value: "a\u{0}b")])])
        #expect(frames == [.synReply(streamID: 1, flags: 0, headers: [SPDYHeaderField(name: "streamtype", value: "a"),
                                                                     SPDYHeaderField(name: "streamtype", value: "b")])])
        if case .synReply(_, _, let headers)? = frames.first {
            #expect(headers.value(for: "streamType") == "a")
        }
    }

    @Test("the SPDY/3 dictionary is the spec's: 1423 bytes with zlib id 0xE3C6A7C2")
    func dictionary() {
        #expect(SPDYDictionary.bytes.count == 1423)
        let id = SPDYDictionary.bytes.withUnsafeBufferPointer { adler32(1, $0.baseAddress, uInt($0.count)) }
        #expect(id == 0xE3C6_A7C2)
    }

    /// A header block built by hand from RFC 1950/1951: zlib header with FDICT and the SPDY
    /// dictionary id, one stored (uncompressed) block holding the name/value block, and the
    /// empty stored block of a sync flush. Independent of our deflater.
    @Test("a hand-built zlib header block with the SPDY dictionary id decodes")
    func handBuiltHeaderBlock() throws {
        let plain = SPDYFrameEncoder.headerBlock([SPDYHeaderField(name: "port", value: "8080"),
                                                  SPDYHeaderField(name: "streamtype", value: "data")])
        let length = UInt16(plain.count)
        var block: [UInt8] = [0x78, 0x3F, 0xE3, 0xC6, 0xA7, 0xC2]  // CMF, FLG (FDICT), DICTID
        block += [0x00, UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8(~length >> 8)]
        block += plain
        block += [0x00, 0x00, 0x00, 0xFF, 0xFF]
        var frame = ByteBufferAllocator().buffer(capacity: 64)
        frame.writeInteger(UInt16(0x8003))  // control, version 3
        frame.writeInteger(UInt16(2))  // SYN_REPLY
        frame.writeInteger(UInt32(4 + block.count))
        frame.writeInteger(UInt32(5))
        frame.writeBytes(block)
        let decoder = try SPDYFrameDecoder()
        decoder.append(frame)
        #expect(try decoder.next() == .synReply(streamID: 5, flags: 0, headers: [SPDYHeaderField(name: "port", value: "8080"),
                                                                                 SPDYHeaderField(name: "streamtype", value: "data")]))
        #expect(try decoder.next() == nil)
    }

    @Test("a header block compressed against another dictionary is a protocol error")
    func wrongDictionary() throws {
        var block: [UInt8] = [0x78, 0x3F, 0x00, 0x00, 0x00, 0x01]  // FDICT with the wrong id
        block += [0x00, 0x04, 0x00, 0xFB, 0xFF, 0, 0, 0, 0]
        var frame = ByteBufferAllocator().buffer(capacity: 64)
        frame.writeInteger(UInt16(0x8003))
        frame.writeInteger(UInt16(2))
        frame.writeInteger(UInt32(4 + block.count))
        frame.writeInteger(UInt32(1))
        frame.writeBytes(block)
        let decoder = try SPDYFrameDecoder()
        decoder.append(frame)
        #expect(throws: SPDYProtocolError.self) { try decoder.next() }
    }

    @Test("unknown control frame types are skipped; other versions and oversized frames are refused")
    func unknownAndInvalid() throws {
        var wire = ByteBufferAllocator().buffer(capacity: 64)
        wire.writeInteger(UInt16(0x8003))
        wire.writeInteger(UInt16(10))  // CREDENTIAL (unused) / unknown
        wire.writeInteger(UInt32(2))
        wire.writeBytes([1, 2])
        try SPDYFrameEncoder().encode(.ping(id: 7), into: &wire)
        let decoder = try SPDYFrameDecoder()
        decoder.append(wire)
        #expect(try decoder.next() == .ping(id: 7))

        var v2 = ByteBufferAllocator().buffer(capacity: 16)
        v2.writeInteger(UInt16(0x8002))
        v2.writeInteger(UInt16(6))
        v2.writeInteger(UInt32(4))
        v2.writeInteger(UInt32(1))
        let old = try SPDYFrameDecoder()
        old.append(v2)
        #expect(throws: SPDYProtocolError.self) { try old.next() }

        var huge = ByteBufferAllocator().buffer(capacity: 16)
        huge.writeInteger(UInt16(0x8003))
        huge.writeInteger(UInt16(1))
        huge.writeInteger(UInt32(0x00ff_ffff))
        let bounded = try SPDYFrameDecoder(maxControlFrameLength: 1024)
        bounded.append(huge)
        #expect(throws: SPDYProtocolError.self) { try bounded.next() }
    }

    @Test("DATA frames carry payloads up to the 24-bit limit and split nowhere else")
    func largeData() throws {
        let payload = patternBytes(count: 1 << 20, seed: 9)
        let frames = try Self.roundTrip([.data(streamID: 1, flags: 0, payload: ByteBuffer(bytes: payload))], chunk: 65_536)
        #expect(frames.count == 1)
        #expect(frames.first?.dataPayload == payload)
    }
}
