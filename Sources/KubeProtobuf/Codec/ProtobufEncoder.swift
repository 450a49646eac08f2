import KubeCore

/// Converts JSON (as Kubernetes' Go types marshal it) to protobuf messages.
///
/// Fields are written in field-number order, as Go's marshaller does. A JSON member that is
/// present and not null is written even when it holds the zero value (proto2 presence: an
/// explicit `0`, `""` or `false` survives the trip); absent and null members are not written.
/// Unknown JSON members are ignored, like Go's JSON decoder ignores them (apart from strict
/// field validation, which the server does on the JSON form).
struct ProtobufEncoder {
    let schema: ProtobufSchema
    /// Embed RawExtension objects that have a protobuf schema as `k8s\0` protobuf (what the
    /// API server does for `WatchEvent.object` in a protobuf watch) instead of JSON bytes.
    var embedProtobuf = false

    func encode(message: Int, _ value: JSON, path: String) throws(ProtobufError) -> [UInt8] {
        var w = ProtobufWriter()
        var stack = [path]
        try encode(message: message, value, into: &w, path: &stack, depth: 0)
        return w.bytes
    }

    /// Appends the fields of `value` as message `message`. `path` is a stack of JSON member
    /// names, joined only for an error message (building strings per field was a hot spot).
    func encode(message: Int, _ value: JSON, into w: inout ProtobufWriter, path: inout [String], depth: Int) throws(ProtobufError) {
        guard depth < ProtobufLimits.maxDepth else { throw .tooDeep }
        let msg = schema.messages[message]
        if let special = msg.special {
            try encodeSpecial(special, value, into: &w, path: path, depth: depth)
            return
        }
        guard case .object(let object) = value else {
            if value.isNull { return }
            throw .invalidValue(path: path.joined(separator: "."), reason: "expected an object, got \(value.typeName)")
        }
        for field in msg.fields {
            if field.inline, case .message(let target) = field.kind {
                // Go embeds these structs by value, so they are always written.
                let start = w.beginNested(field.number)
                try encode(message: target, value, into: &w, path: &path, depth: depth + 1)
                w.endNested(start)
                continue
            }
            guard let member = object[field.jsonName], !member.isNull else { continue }
            path.append(field.jsonName)
            defer { path.removeLast() }
            switch field.cardinality {
            case .optional:
                try write(field, member, into: &w, number: field.number, path: &path, depth: depth)
            case .repeated:
                guard case .array(let items) = member else {
                    throw .invalidValue(path: path.joined(separator: "."), reason: "expected an array, got \(member.typeName)")
                }
                for item in items {
                    try write(field, item, into: &w, number: field.number, path: &path, depth: depth)
                }
            case .map:
                guard case .object(let entries) = member else {
                    throw .invalidValue(path: path.joined(separator: "."), reason: "expected an object, got \(member.typeName)")
                }
                for key in entries.keys.sorted() {  // Go sorts map keys when marshalling
                    let start = w.beginNested(field.number)
                    w.writeString(1, key)
                    path.append(key)
                    if let v = entries[key], !v.isNull {
                        try write(field, v, into: &w, number: 2, path: &path, depth: depth)
                    } else if case .message = field.kind {
                        w.writeBytes(2, [UInt8]())  // Go writes a zero struct value (a null Time) as empty
                    }
                    path.removeLast()
                    w.endNested(start)
                }
            }
        }
    }

    private func write(_ field: ProtobufField, _ value: JSON, into w: inout ProtobufWriter, number n: Int,
                       path: inout [String], depth: Int) throws(ProtobufError) {
        switch field.kind {
        case .string:
            guard case .string(let s) = value else { throw mismatch(path, "string", value) }
            w.writeString(n, s)
        case .bytes:
            guard case .string(let s) = value, let bytes = Base64.decode(s) else { throw mismatch(path, "base64 string", value) }
            w.writeBytes(n, bytes)
        case .int32:
            guard let i = value.intValue, let i32 = Int32(exactly: i) else { throw mismatch(path, "int32", value) }
            w.writeKey(n, .varint)
            w.writeVarint(UInt64(bitPattern: Int64(i32)))
        case .int64:
            guard let i = value.intValue else { throw mismatch(path, "int64", value) }
            w.writeKey(n, .varint)
            w.writeVarint(UInt64(bitPattern: i))
        case .bool:
            guard case .bool(let b) = value else { throw mismatch(path, "boolean", value) }
            w.writeKey(n, .varint)
            w.writeVarint(b ? 1 : 0)
        case .double:
            guard let d = value.doubleValue else { throw mismatch(path, "number", value) }
            w.writeKey(n, .fixed64)
            w.writeFixed64(d.bitPattern)
        case .float:
            guard let d = value.doubleValue else { throw mismatch(path, "number", value) }
            w.writeKey(n, .fixed32)
            w.writeFixed32(Float(d).bitPattern)
        case .message(let target):
            let start = w.beginNested(n)
            try encode(message: target, value, into: &w, path: &path, depth: depth + 1)
            w.endNested(start)
        }
    }

    func mismatch(_ path: [String], _ expected: String, _ value: JSON) -> ProtobufError {
        .invalidValue(path: path.joined(separator: "."), reason: "expected \(expected), got \(value.typeName)")
    }
}
