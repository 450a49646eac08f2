import KubeCore

/// Converts protobuf messages to the JSON that Kubernetes' Go types marshal to.
///
/// Presence: Go writes non-pointer scalar fields even when they hold the zero value, but
/// its JSON omits them (`omitempty`). So a zero scalar is dropped unless the schema marks
/// the field `keepZero` (no `omitempty`, from the OpenAPI `required` list). Absent or empty
/// repeated and map fields are omitted.
struct ProtobufDecoder {
    let schema: ProtobufSchema
    /// Members decoded so far, for every message being decoded (each call owns the entries
    /// above the count it started at): built into one dictionary of exact capacity per
    /// message, as KubeCore's JSON parser does, instead of growing several per message.
    private let scratch = DecodeScratch()

    init(schema: ProtobufSchema) { self.schema = schema }

    func decode(message: Int, _ reader: ProtobufReader, depth: Int = 0) throws(ProtobufError) -> JSON {
        guard depth < ProtobufLimits.maxDepth else { throw .tooDeep }
        let msg = schema.messages[message]
        if let special = msg.special { return try decodeSpecial(special, msg, reader, depth: depth) }
        let base = scratch.keys.count
        do {
            try pushFields(msg, reader, depth: depth, base: base)
        } catch {
            scratch.truncate(to: base)
            throw error
        }
        let n = scratch.keys.count - base
        var object = [String: JSON](minimumCapacity: n)
        for i in base..<scratch.keys.count { object[scratch.keys[i]] = scratch.values[i] }  // later duplicates win
        scratch.truncate(to: base)
        return .object(object)
    }

    /// Pushes the members of one message (and of its inlined messages) onto the scratch stack.
    private func pushFields(_ msg: ProtobufMessage, _ reader: ProtobufReader, depth: Int, base: Int) throws(ProtobufError) {
        var r = reader
        while !r.isAtEnd {
            let (number, wire) = try r.readKey()
            guard let position = msg.position(of: number) else {
                try r.skip(wire)  // unknown field: skipped, as Go's unmarshaller does
                continue
            }
            let field = msg.fields[position]
            switch field.cardinality {
            case .optional:
                if field.inline, case .message(let target) = field.kind {
                    guard wire == .lengthDelimited else { throw wrongWire(msg, field, wire) }
                    let range = try r.readLengthDelimited()
                    guard depth + 1 < ProtobufLimits.maxDepth else { throw .tooDeep }
                    try pushFields(schema.messages[target], r.sub(range), depth: depth + 1, base: base)
                    continue
                }
                let value = try decodeValue(field, msg, wire, &r, depth: depth)
                // A zero Go would omit from JSON is not pushed. (Should the same scalar field
                // arrive twice, the last being zero, the earlier value stays: no writer does that.)
                if field.keepZero || !Self.isZeroScalar(value, field.kind) {
                    scratch.keys.append(field.jsonName)
                    scratch.values.append(value)
                }
            case .repeated:
                if wire == .lengthDelimited, field.isPackable {
                    let range = try r.readLengthDelimited()
                    var packed = r.sub(range)
                    let element = field.kind == .double ? WireType.fixed64 : field.kind == .float ? .fixed32 : .varint
                    while !packed.isAtEnd {
                        scratch.append(try decodeValue(field, msg, element, &packed, depth: depth), toList: field.jsonName, base: base)
                    }
                } else {
                    scratch.append(try decodeValue(field, msg, wire, &r, depth: depth), toList: field.jsonName, base: base)
                }
            case .map:
                guard wire == .lengthDelimited else { throw wrongWire(msg, field, wire) }
                let range = try r.readLengthDelimited()
                let (key, value) = try decodeMapEntry(field, msg, r.sub(range), depth: depth)
                scratch.set(key, value, inMap: field.jsonName, base: base)
            }
        }
    }

    private func decodeMapEntry(_ field: ProtobufField, _ msg: ProtobufMessage, _ reader: ProtobufReader,
                                depth: Int) throws(ProtobufError) -> (String, JSON) {
        var r = reader
        var key = ""
        var value: JSON?
        while !r.isAtEnd {
            let (number, wire) = try r.readKey()
            switch number {
            case 1:
                guard wire == .lengthDelimited else { throw wrongWire(msg, field, wire) }
                let range = try r.readLengthDelimited()
                guard let k = r.string(range) else { throw .invalidUTF8(message: msg.name, field: field.jsonName) }
                key = k
            case 2:
                value = try decodeValue(field, msg, wire, &r, depth: depth)
            default:
                try r.skip(wire)
            }
        }
        if let value { return (key, value) }
        return (key, try zeroValue(field.kind, depth: depth))
    }

    /// The JSON of an absent map value: what Go's zero value marshals to.
    private func zeroValue(_ kind: ProtobufField.Kind, depth: Int) throws(ProtobufError) -> JSON {
        switch kind {
        case .string, .bytes: return .string("")
        case .int32, .int64: return .int(0)
        case .bool: return .bool(false)
        case .double, .float: return .double(0)
        case .message(let target):
            return try ProtobufReader.withReader([]) { (r: ProtobufReader) throws(ProtobufError) in
                try decode(message: target, r, depth: depth + 1)
            }
        }
    }

    private func decodeValue(_ field: ProtobufField, _ msg: ProtobufMessage, _ wire: WireType,
                             _ r: inout ProtobufReader, depth: Int) throws(ProtobufError) -> JSON {
        switch field.kind {
        case .string, .bytes, .message:
            guard wire == .lengthDelimited else { throw wrongWire(msg, field, wire) }
            let range = try r.readLengthDelimited()
            switch field.kind {
            case .string:
                guard let s = r.string(range) else { throw .invalidUTF8(message: msg.name, field: field.jsonName) }
                return .string(s)
            case .message(let target):
                return try decode(message: target, r.sub(range), depth: depth + 1)
            default:
                return .string(Base64.encode(r.slice(range)))
            }
        case .int32:
            guard wire == .varint else { throw wrongWire(msg, field, wire) }
            return .int(Int64(Int32(truncatingIfNeeded: try r.readVarint())))
        case .int64:
            guard wire == .varint else { throw wrongWire(msg, field, wire) }
            return .int(Int64(bitPattern: try r.readVarint()))
        case .bool:
            guard wire == .varint else { throw wrongWire(msg, field, wire) }
            return .bool(try r.readVarint() != 0)
        case .double:
            guard wire == .fixed64 else { throw wrongWire(msg, field, wire) }
            return .double(Double(bitPattern: try r.readFixed64()))
        case .float:
            guard wire == .fixed32 else { throw wrongWire(msg, field, wire) }
            return .double(Double(Float(bitPattern: try r.readFixed32())))
        }
    }

    static func isZeroScalar(_ value: JSON, _ kind: ProtobufField.Kind) -> Bool {
        if case .message = kind { return false }
        switch value {
        case .string(let s): return s.isEmpty
        case .int(let i): return i == 0
        case .double(let d): return d == 0
        case .bool(let b): return !b
        default: return false
        }
    }

    private func wrongWire(_ msg: ProtobufMessage, _ field: ProtobufField, _ wire: WireType) -> ProtobufError {
        .wrongWireType(message: msg.name, field: field.number, wireType: wire.rawValue)
    }
}

extension ProtobufField {
    /// Scalars that may arrive packed (proto2 writers may pack them; Go's do not).
    var isPackable: Bool {
        switch kind {
        case .int32, .int64, .bool, .double, .float: return true
        default: return false
        }
    }
}

/// The decoder's stack of pending object members (see `ProtobufDecoder.scratch`).
private final class DecodeScratch {
    var keys: [String] = []
    var values: [JSON] = []

    func truncate(to count: Int) {
        keys.removeLast(keys.count - count)
        values.removeLast(values.count - count)
    }

    /// The entry of `key` in the current frame; Go writes a field's elements together, so it
    /// is nearly always the last one.
    private func entry(_ key: String, base: Int) -> Int? {
        var i = keys.count - 1
        while i >= base {
            if keys[i] == key { return i }
            i -= 1
        }
        return nil
    }

    func append(_ value: JSON, toList key: String, base: Int) {
        if let i = entry(key, base: base), case .array(var items) = values[i] {
            values[i] = .null  // release our copy so `items` is uniquely referenced
            items.append(value)
            values[i] = .array(items)
        } else {
            keys.append(key)
            values.append(.array([value]))
        }
    }

    func set(_ member: String, _ value: JSON, inMap key: String, base: Int) {
        if let i = entry(key, base: base), case .object(var entries) = values[i] {
            values[i] = .null
            entries[member] = value
            values[i] = .object(entries)
        } else {
            keys.append(key)
            values.append(.object([member: value]))
        }
    }
}
