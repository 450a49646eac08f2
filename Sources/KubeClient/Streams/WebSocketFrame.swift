/// RFC 6455 framing, client side: what one frame looks like on the wire, and how the client
/// writes one (always masked, with a fresh random key per frame, as §5.3 requires).
enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0
    case text = 0x1
    case binary = 0x2
    case close = 0x8
    case ping = 0x9
    case pong = 0xA

    /// Close, ping and pong: at most 125 bytes, never fragmented, may come between fragments.
    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// A whole message as the decoder hands it over: data messages reassembled from their
/// fragments, control frames as they came.
enum WebSocketMessage: Sendable, Equatable {
    case text([UInt8])
    case binary([UInt8])
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame: status code (nil when the frame had no body) and reason.
    case close(code: UInt16?, reason: String)
}

enum WebSocketFrame {
    /// Close status codes used by the client (RFC 6455 §7.4.1).
    static let normalClosure: UInt16 = 1000
    static let protocolError: UInt16 = 1002
    static let messageTooBig: UInt16 = 1009

    /// Encodes one frame as the client sends it: FIN set unless `fin` is false, masked with `maskKey`.
    static func encode(opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true,
                       maskKey: (UInt8, UInt8, UInt8, UInt8)) -> [UInt8] {
        let count = payload.count
        var frame: [UInt8] = []
        frame.reserveCapacity(count + 14)
        frame.append((fin ? 0x80 : 0) | opcode.rawValue)
        if count < 126 {
            frame.append(0x80 | UInt8(count))
        } else if count <= 0xFFFF {
            frame.append(0x80 | 126)
            frame.append(UInt8(count >> 8))
            frame.append(UInt8(count & 0xFF))
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) {
                frame.append(UInt8((UInt64(count) >> UInt64(shift)) & 0xFF))
            }
        }
        let key = [maskKey.0, maskKey.1, maskKey.2, maskKey.3]
        frame.append(contentsOf: key)
        let start = frame.count
        frame.append(contentsOf: payload)
        frame.withUnsafeMutableBufferPointer { buffer in
            applyMask(key, to: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        return frame
    }

    /// A frame with a random mask key (§5.3: unpredictable, fresh for each frame).
    static func encode(opcode: WebSocketOpcode, payload: some Collection<UInt8>, fin: Bool = true) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let key = UInt32.random(in: .min ... .max, using: &generator)
        return encode(opcode: opcode, payload: payload, fin: fin,
                      maskKey: (UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)))
    }

    /// The bytes a client frame's header takes before a payload of `count` bytes: length
    /// field and mask key included.
    static func clientHeaderLength(payloadCount count: Int) -> Int {
        (count < 126 ? 2 : count <= 0xFFFF ? 4 : 10) + 4
    }

    /// Writes a client frame's header (FIN set, `opcode`, length, mask `key`) at `start`,
    /// `clientHeaderLength(payloadCount: count)` bytes — for a frame built around bytes already
    /// in place; the caller masks the payload with the same key.
    static func writeClientHeader(at start: UnsafeMutableRawPointer, opcode: WebSocketOpcode, payloadCount count: Int,
                                  key: [UInt8]) {
        let bytes = start.assumingMemoryBound(to: UInt8.self)
        bytes[0] = 0x80 | opcode.rawValue
        var index = 2
        if count < 126 {
            bytes[1] = 0x80 | UInt8(count)
        } else if count <= 0xFFFF {
            bytes[1] = 0x80 | 126
            bytes[2] = UInt8(count >> 8)
            bytes[3] = UInt8(count & 0xFF)
            index = 4
        } else {
            bytes[1] = 0x80 | 127
            for byteIndex in 0..<8 { bytes[2 + byteIndex] = UInt8((UInt64(count) >> UInt64(56 - 8 * byteIndex)) & 0xFF) }
            index = 10
        }
        for byteIndex in 0..<4 { bytes[index + byteIndex] = key[byteIndex] }
    }

    /// A fresh random mask key (§5.3: unpredictable, one per frame).
    static func randomMaskKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let key = UInt32.random(in: .min ... .max, using: &generator)
        return [UInt8(key >> 24), UInt8((key >> 16) & 0xFF), UInt8((key >> 8) & 0xFF), UInt8(key & 0xFF)]
    }

    /// The body of a close frame: the status code big-endian, then the UTF-8 reason (≤ 123 bytes).
    static func closePayload(code: UInt16, reason: String = "") -> [UInt8] {
        var body: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        body.append(contentsOf: Array(reason.utf8.prefix(123)))
        return body
    }

    /// XORs `bytes` with the 4-byte key, word at a time where possible.
    static func applyMask(_ key: [UInt8], to bytes: UnsafeMutableBufferPointer<UInt8>, keyOffset: Int = 0) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let count = bytes.count
        var index = 0
        // Byte-wise until the key phase is 0, so the 8-byte pattern lines up.
        var phase = keyOffset & 3
        while index < count && phase != 0 {
            base[index] ^= key[phase]
            phase = (phase + 1) & 3
            index += 1
        }
        var word: UInt64 = 0
        for byteIndex in 0..<8 { word |= UInt64(key[byteIndex & 3]) << UInt64(8 * byteIndex) }
        let raw = UnsafeMutableRawPointer(base + index)
        let words = (count - index) / 8
        for wordIndex in 0..<words {
            let value = raw.loadUnaligned(fromByteOffset: wordIndex * 8, as: UInt64.self)
            raw.storeBytes(of: value ^ word.littleEndian, toByteOffset: wordIndex * 8, as: UInt64.self)
        }
        index += words * 8
        while index < count {
            base[index] ^= key[phase]
            phase = (phase + 1) & 3
            index += 1
        }
    }
}
