import NIOCore

/// Serializes SPDY/3.1 frames; header blocks go through this connection direction's deflater.
final class SPDYFrameEncoder {
    private let deflater: SPDYHeaderDeflater

    init() throws(SPDYProtocolError) {
        deflater = try SPDYHeaderDeflater()
    }

    func encode(_ frame: SPDYFrame, into out: inout ByteBuffer) throws(SPDYProtocolError) {
        switch frame {
        case .synStream(let streamID, let associated, let priority, let flags, let headers):
            let block = try deflater.compress(Self.headerBlock(headers))
            writeControlHeader(.synStream, flags: flags, length: 10 + block.count, into: &out)
            out.writeInteger(streamID & 0x7fff_ffff)
            out.writeInteger(associated & 0x7fff_ffff)
            out.writeInteger(UInt8((priority & 0x07) << 5))
            out.writeInteger(UInt8(0))  // credential slot
            out.writeBytes(block)
        case .synReply(let streamID, let flags, let headers):
            try writeHeaderCarrying(.synReply, streamID: streamID, flags: flags, headers: headers, into: &out)
        case .headers(let streamID, let flags, let headers):
            try writeHeaderCarrying(.headers, streamID: streamID, flags: flags, headers: headers, into: &out)
        case .rstStream(let streamID, let status):
            writeControlHeader(.rstStream, flags: 0, length: 8, into: &out)
            out.writeInteger(streamID & 0x7fff_ffff)
            out.writeInteger(status)
        case .settings(let flags, let entries):
            writeControlHeader(.settings, flags: flags, length: 4 + 8 * entries.count, into: &out)
            out.writeInteger(UInt32(entries.count))
            for entry in entries {
                out.writeInteger(UInt32(entry.flags) << 24 | (entry.id & 0x00ff_ffff))
                out.writeInteger(entry.value)
            }
        case .ping(let id):
            writeControlHeader(.ping, flags: 0, length: 4, into: &out)
            out.writeInteger(id)
        case .goAway(let lastGood, let status):
            writeControlHeader(.goAway, flags: 0, length: 8, into: &out)
            out.writeInteger(lastGood & 0x7fff_ffff)
            out.writeInteger(status)
        case .windowUpdate(let streamID, let delta):
            writeControlHeader(.windowUpdate, flags: 0, length: 8, into: &out)
            out.writeInteger(streamID & 0x7fff_ffff)
            out.writeInteger(delta & 0x7fff_ffff)
        case .data(let streamID, let flags, let payload):
            guard payload.readableBytes <= SPDY.maxFrameLength else {
                throw SPDYProtocolError("DATA payload of \(payload.readableBytes) bytes exceeds the 24-bit length")
            }
            out.writeInteger(streamID & 0x7fff_ffff)
            out.writeInteger(UInt32(flags) << 24 | UInt32(payload.readableBytes))
            out.writeImmutableBuffer(payload)
        }
    }

    private func writeHeaderCarrying(_ type: SPDY.FrameType, streamID: UInt32, flags: UInt8, headers: [SPDYHeaderField],
                                     into out: inout ByteBuffer) throws(SPDYProtocolError) {
        let block = try deflater.compress(Self.headerBlock(headers))
        writeControlHeader(type, flags: flags, length: 4 + block.count, into: &out)
        out.writeInteger(streamID & 0x7fff_ffff)
        out.writeBytes(block)
    }

    private func writeControlHeader(_ type: SPDY.FrameType, flags: UInt8, length: Int, into out: inout ByteBuffer) {
        out.writeInteger(0x8000 | SPDY.version)
        out.writeInteger(type.rawValue)
        out.writeInteger(UInt32(flags) << 24 | UInt32(length & 0x00ff_ffff))
    }

    /// The uncompressed name/value block: a 32-bit count, then length-prefixed lowercase names and values.
    static func headerBlock(_ headers: [SPDYHeaderField]) -> [UInt8] {
        var block: [UInt8] = []
        appendLength(headers.count, to: &block)
        for field in headers {
            let name = Array(field.name.lowercased().utf8)
            let value = Array(field.value.utf8)
            appendLength(name.count, to: &block)
            block += name
            appendLength(value.count, to: &block)
            block += value
        }
        return block
    }

    private static func appendLength(_ length: Int, to block: inout [UInt8]) {
        let value = UInt32(truncatingIfNeeded: length)
        block += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
}
