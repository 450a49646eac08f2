import KubeCore

extension ProtobufEncoder {
    /// Encodes the types whose JSON is not an object of their fields (see `ProtobufSpecialType`).
    func encodeSpecial(_ special: ProtobufSpecialType, _ value: JSON, into w: inout ProtobufWriter, path: [String],
                       depth: Int) throws(ProtobufError) {
        switch special {
        case .time, .microtime:
            guard case .string(let text) = value else {
                if value.isNull { return }
                throw mismatch(path, "RFC 3339 string", value)
            }
            guard let (seconds, nanos) = ProtobufTimestamp.parse(text) else {
                throw .invalidValue(path: path.joined(separator: "."), reason: "invalid RFC 3339 time \"\(text)\"")
            }
            // Time keeps whole seconds only (Go's metav1.Time drops nanos in protobuf, too).
            w.writeKey(1, .varint)
            w.writeVarint(UInt64(bitPattern: seconds))
            w.writeKey(2, .varint)
            w.writeVarint(special == .microtime ? UInt64(bitPattern: Int64(nanos / 1000 * 1000)) : 0)
        case .duration:
            guard case .string(let text) = value, let nanos = GoDuration.parse(text) else {
                throw mismatch(path, "duration string", value)
            }
            w.writeKey(1, .varint)
            w.writeVarint(UInt64(bitPattern: nanos))
        case .quantity:
            // Go's Quantity also accepts a JSON number.
            let text: String
            switch value {
            case .string(let s): text = s
            case .int(let i): text = String(i)
            case .double(let d): text = String(d)
            default: throw mismatch(path, "quantity", value)
            }
            w.writeString(1, text)
        case .intorstring:
            // Go writes all three fields of its IntOrString struct.
            switch value {
            case .string(let s):
                w.writeKey(1, .varint); w.writeVarint(1)
                w.writeKey(2, .varint); w.writeVarint(0)
                w.writeString(3, s)
            default:
                guard let i = value.intValue, let i32 = Int32(exactly: i) else { throw mismatch(path, "int or string", value) }
                w.writeKey(1, .varint); w.writeVarint(0)
                w.writeKey(2, .varint); w.writeVarint(UInt64(bitPattern: Int64(i32)))
                w.writeString(3, "")
            }
        case .list:
            guard case .array(let items) = value else { throw mismatch(path, "array", value) }
            for item in items {
                guard case .string(let s) = item else { throw mismatch(path, "string", item) }
                w.writeString(1, s)
            }
        case .rawext, .rawjson:
            if value.isNull { return }
            if special == .rawext, embedProtobuf,
               let bytes = try? ProtobufEnvelope.encodeObject(value, schema: schema, embedProtobuf: true) {
                w.writeBytes(1, bytes)
            } else {
                w.writeBytes(1, value.serializedBytes())
            }
        }
    }
}
