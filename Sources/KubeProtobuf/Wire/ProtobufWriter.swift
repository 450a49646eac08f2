/// Appends protobuf wire data to a byte buffer (see `ProtobufReader` for why it is hand-written).
struct ProtobufWriter {
    var bytes: [UInt8] = []

    mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func writeKey(_ field: Int, _ wire: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wire.rawValue))
    }

    mutating func writeFixed32(_ value: UInt32) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }

    mutating func writeFixed64(_ value: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    mutating func writeBytes(_ field: Int, _ payload: some Collection<UInt8>) {
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(payload.count))
        bytes.append(contentsOf: payload)
    }

    mutating func writeString(_ field: Int, _ value: String) {
        var value = value
        value.withUTF8 { writeBytes(field, $0) }
    }

    /// Starts a length-delimited field written in place; `endNested` fills in the length.
    /// (One placeholder byte is reserved: most nested messages are shorter than 128 bytes,
    /// and longer ones shift once instead of being built in a buffer of their own.)
    mutating func beginNested(_ field: Int) -> Int {
        writeKey(field, .lengthDelimited)
        bytes.append(0)
        return bytes.count
    }

    mutating func endNested(_ start: Int) {
        let length = bytes.count - start
        if length < 0x80 {
            bytes[start - 1] = UInt8(length)
            return
        }
        var prefix: [UInt8] = []
        var v = UInt64(length)
        while v >= 0x80 {
            prefix.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        prefix.append(UInt8(v))
        bytes.replaceSubrange((start - 1)..<start, with: prefix)
    }
}
