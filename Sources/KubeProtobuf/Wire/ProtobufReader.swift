/// Reads protobuf wire data from a byte buffer.
///
/// Hand-written rather than swift-protobuf: swift-protobuf (mirrored here at 1.39.0) decodes
/// into generated Swift types only and has no dynamic messages, while this codec converts
/// straight between the wire form and `JSON` driven by a schema table. The wire format
/// itself is four primitives (varint, fixed32, fixed64, length-delimited), so a reader
/// with bounds checks on every step is smaller than the generated code would be.
///
/// It reads through an unsafe buffer (no reference counting per step, which dominated a
/// profile of decoding 10k pods); `withReader` scopes it to the lifetime of the bytes.
struct ProtobufReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var index: Int
    let end: Int

    private init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// Runs `body` with a reader over `bytes[range]` (all of `bytes` by default). The reader
    /// must not escape `body`.
    static func withReader<T>(_ bytes: [UInt8], range: Range<Int>? = nil,
                              _ body: (ProtobufReader) throws(ProtobufError) -> T) throws(ProtobufError) -> T {
        let result: Result<T, ProtobufError> = bytes.withUnsafeBytes { raw in
            let r = range ?? 0..<raw.count
            do throws(ProtobufError) { return .success(try body(ProtobufReader(raw, range: r))) } catch { return .failure(error) }
        }
        return try result.get()
    }

    var isAtEnd: Bool { index >= end }

    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw .truncated }
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte > 1 { throw .malformedVarint }
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw .malformedVarint }
        }
    }

    /// A field key: (field number, wire type).
    mutating func readKey() throws(ProtobufError) -> (Int, WireType) {
        let key = try readVarint()
        let number = key >> 3
        guard number > 0, number <= 536_870_911 else { throw .invalidFieldNumber(number) }
        let raw = Int(key & 7)
        guard let wire = WireType(rawValue: raw) else { throw .unsupportedWireType(raw) }
        return (Int(number), wire)
    }

    mutating func readFixed32() throws(ProtobufError) -> UInt32 {
        guard end - index >= 4 else { throw .truncated }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[index + i]) << (8 * UInt32(i)) }
        index += 4
        return v
    }

    mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        guard end - index >= 8 else { throw .truncated }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
        index += 8
        return v
    }

    /// The range of a length-delimited field's payload, checked against the buffer.
    mutating func readLengthDelimited() throws(ProtobufError) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - index) else { throw .lengthOutOfRange(length) }
        let start = index
        index += Int(length)
        return start..<index
    }

    mutating func skip(_ wire: WireType) throws(ProtobufError) {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLengthDelimited()
        }
    }

    func slice(_ range: Range<Int>) -> [UInt8] { Array(UnsafeRawBufferPointer(rebasing: bytes[range])) }

    func string(_ range: Range<Int>) -> String? {
        String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]).assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    func startsWith(_ prefix: [UInt8], in range: Range<Int>) -> Bool {
        range.count >= prefix.count && prefix.indices.allSatisfy { bytes[range.lowerBound + $0] == prefix[$0] }
    }

    /// A reader over a sub-range of the same buffer (no copy).
    func sub(_ range: Range<Int>) -> ProtobufReader { ProtobufReader(bytes, range: range) }
}
