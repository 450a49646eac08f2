import KubeCore

extension ProtobufDecoder {
    /// Decodes the types whose JSON is not an object of their fields (see `ProtobufSpecialType`).
    func decodeSpecial(_ special: ProtobufSpecialType, _ msg: ProtobufMessage, _ reader: ProtobufReader,
                       depth: Int) throws(ProtobufError) -> JSON {
        var r = reader
        let empty = r.isAtEnd
        var varints: [Int: UInt64] = [:]
        var blobs: [Int: Range<Int>] = [:]
        var items: [Range<Int>] = []
        while !r.isAtEnd {
            let (number, wire) = try r.readKey()
            switch wire {
            case .varint: varints[number] = try r.readVarint()
            case .lengthDelimited:
                let range = try r.readLengthDelimited()
                if special == .list && number == 1 { items.append(range) } else { blobs[number] = range }
            default: try r.skip(wire)
            }
        }
        func text(_ number: Int) throws(ProtobufError) -> String {
            guard let range = blobs[number] else { return "" }
            guard let s = r.string(range) else { throw .invalidUTF8(message: msg.name, field: String(number)) }
            return s
        }
        switch special {
        case .time, .microtime:
            // Go's metav1.Time writes nothing for the zero time, which marshals to JSON null.
            if empty { return .null }
            let seconds = Int64(bitPattern: varints[1] ?? 0)
            let nanos = Int32(truncatingIfNeeded: varints[2] ?? 0)
            return .string(ProtobufTimestamp.format(seconds: seconds, nanos: nanos, micro: special == .microtime))
        case .duration:
            return .string(GoDuration.format(Int64(bitPattern: varints[1] ?? 0)))
        case .quantity:
            let s = try text(1)
            return .string(s.isEmpty ? "0" : s)
        case .intorstring:
            if varints[1] == 1 { return .string(try text(3)) }
            return .int(Int64(Int32(truncatingIfNeeded: varints[2] ?? 0)))
        case .list:
            var array: [JSON] = []
            for range in items {
                guard let s = r.string(range) else { throw .invalidUTF8(message: msg.name, field: "items") }
                array.append(.string(s))
            }
            return .array(array)
        case .rawext, .rawjson:
            guard let range = blobs[1], !range.isEmpty else { return .null }
            let raw = r.slice(range)
            if special == .rawext, raw.starts(with: ProtobufEnvelope.magic) {
                return try ProtobufEnvelope.decodeObject(raw, schema: schema, depth: depth + 1)
            }
            do {
                return try JSON.parse(bytes: raw)
            } catch {
                throw .invalidEmbeddedJSON(error.description)
            }
        }
    }
}
