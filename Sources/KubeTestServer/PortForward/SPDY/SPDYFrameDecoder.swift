import NIOCore

/// Parses a SPDY/3.1 byte stream into frames, whatever the chunking of the bytes (raw TCP reads
/// or WebSocket messages of a tunnel). Header blocks go through this direction's inflater, so
/// frames must be decoded in order and exactly once. Unknown control frame types are skipped,
/// as the spec asks.
final class SPDYFrameDecoder {
    /// Control frames larger than this are refused (DATA frames are bounded by their 24-bit length).
    let maxControlFrameLength: Int
    private let inflater: SPDYHeaderInflater
    private var buffer: ByteBuffer

    init(maxControlFrameLength: Int = 1 << 20) throws(SPDYProtocolError) {
        self.maxControlFrameLength = maxControlFrameLength
        inflater = try SPDYHeaderInflater()
        buffer = ByteBufferAllocator().buffer(capacity: 0)
    }

    func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete frame, or nil until more bytes arrive.
    func next() throws(SPDYProtocolError) -> SPDYFrame? {
        while true {
            guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                  let second = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self) else { return nil }
            let flags = UInt8(second >> 24)
            let length = Int(second & 0x00ff_ffff)
            let isControl = first & 0x8000_0000 != 0
            if isControl && length > maxControlFrameLength {
                throw SPDYProtocolError("control frame of \(length) bytes exceeds \(maxControlFrameLength)")
            }
            guard buffer.readableBytes >= 8 + length else { return nil }
            buffer.moveReaderIndex(forwardBy: 8)
            guard var body = buffer.readSlice(length: length) else { return nil }
            compactIfWorthIt()
            if !isControl {
                let streamID = first & 0x7fff_ffff
                guard streamID != 0 else { throw SPDYProtocolError("DATA frame on stream 0") }
                return .data(streamID: streamID, flags: flags, payload: body)
            }
            let version = UInt16((first >> 16) & 0x7fff)
            guard version == SPDY.version else { throw SPDYProtocolError("unsupported SPDY version \(version)") }
            guard let type = SPDY.FrameType(rawValue: UInt16(first & 0xffff)) else { continue }
            return try parseControl(type, flags: flags, body: &body)
        }
    }

    private func compactIfWorthIt() {
        if buffer.readerIndex > 64 * 1024 && buffer.readerIndex > buffer.readableBytes { buffer.discardReadBytes() }
    }

    private func parseControl(_ type: SPDY.FrameType, flags: UInt8, body: inout ByteBuffer) throws(SPDYProtocolError) -> SPDYFrame {
        func word() throws(SPDYProtocolError) -> UInt32 {
            guard let value = body.readInteger(as: UInt32.self) else { throw SPDYProtocolError("truncated \(type) frame") }
            return value
        }
        switch type {
        case .synStream:
            let streamID = try word() & 0x7fff_ffff
            let associated = try word() & 0x7fff_ffff
            guard let priorityByte = body.readInteger(as: UInt8.self), body.readInteger(as: UInt8.self) != nil else {
                throw SPDYProtocolError("truncated SYN_STREAM frame")
            }
            guard streamID != 0 else { throw SPDYProtocolError("SYN_STREAM on stream 0") }
            let headers = try headerBlock(&body)
            return .synStream(streamID: streamID, associatedStreamID: associated, priority: priorityByte >> 5, flags: flags, headers: headers)
        case .synReply:
            let streamID = try word() & 0x7fff_ffff
            return .synReply(streamID: streamID, flags: flags, headers: try headerBlock(&body))
        case .headers:
            let streamID = try word() & 0x7fff_ffff
            return .headers(streamID: streamID, flags: flags, headers: try headerBlock(&body))
        case .rstStream:
            let streamID = try word() & 0x7fff_ffff
            return .rstStream(streamID: streamID, status: try word())
        case .settings:
            let count = try word()
            guard Int(count) * 8 <= body.readableBytes else { throw SPDYProtocolError("truncated SETTINGS frame") }
            var entries: [SPDYSetting] = []
            for _ in 0..<count {
                let idWord = try word()
                entries.append(SPDYSetting(flags: UInt8(idWord >> 24), id: idWord & 0x00ff_ffff, value: try word()))
            }
            return .settings(flags: flags, entries: entries)
        case .ping:
            return .ping(id: try word())
        case .goAway:
            let lastGood = try word() & 0x7fff_ffff
            // SPDY/2 GOAWAY had no status; tolerate its absence.
            let status = body.readInteger(as: UInt32.self) ?? SPDY.GoAwayStatus.ok
            return .goAway(lastGoodStreamID: lastGood, status: status)
        case .windowUpdate:
            let streamID = try word() & 0x7fff_ffff
            return .windowUpdate(streamID: streamID, delta: try word() & 0x7fff_ffff)
        }
    }

    private func headerBlock(_ body: inout ByteBuffer) throws(SPDYProtocolError) -> [SPDYHeaderField] {
        let compressed = body.readBytes(length: body.readableBytes) ?? []
        var plain = ByteBuffer(bytes: try inflater.decompress(compressed))
        func length() throws(SPDYProtocolError) -> Int {
            guard let value = plain.readInteger(as: UInt32.self) else { throw SPDYProtocolError("truncated header block") }
            guard Int(value) <= plain.readableBytes else { throw SPDYProtocolError("header block length \(value) past its end") }
            return Int(value)
        }
        guard let count = plain.readInteger(as: UInt32.self) else {
            throw SPDYProtocolError("empty header block")
        }
        guard Int(count) <= plain.readableBytes / 8 else { throw SPDYProtocolError("header block claims \(count) pairs") }
        var fields: [SPDYHeaderField] = []
        for _ in 0..<count {
            let nameLength = try length()
            let name = plain.readString(length: nameLength) ?? ""
            let valueLength = try length()
            let value = plain.readString(length: valueLength) ?? ""
            for part in value.split(separator: "\0", omittingEmptySubsequences: false) {
                fields.append(SPDYHeaderField(name: name, value: String(part)))
            }
        }
        return fields
    }
}
