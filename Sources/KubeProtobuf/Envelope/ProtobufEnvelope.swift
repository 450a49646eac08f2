import KubeCore

/// The Kubernetes protobuf document: the magic `k8s\0`, then a `runtime.Unknown` whose
/// typeMeta names the kind and whose raw bytes are the object's message.
enum ProtobufEnvelope {
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
    private static let unknownFields = (typeMeta: 1, raw: 2, contentEncoding: 3, contentType: 4)

    /// Decodes an enveloped object to its JSON, with `apiVersion` and `kind` from the envelope.
    /// `fallback` names the type when the envelope does not (Go leaves typeMeta empty for
    /// types it does not register, such as a bare WatchEvent).
    static func decodeObject(_ bytes: [UInt8], schema: ProtobufSchema, fallback: ProtobufTypeName? = nil,
                             depth: Int = 0) throws(ProtobufError) -> JSON {
        guard bytes.starts(with: magic) else { throw .missingMagic }
        return try ProtobufReader.withReader(bytes, range: magic.count..<bytes.count) { (reader: ProtobufReader) throws(ProtobufError) in
            try decodeUnknown(reader, schema: schema, fallback: fallback, depth: depth)
        }
    }

    private static func decodeUnknown(_ reader: ProtobufReader, schema: ProtobufSchema, fallback: ProtobufTypeName?,
                                      depth: Int) throws(ProtobufError) -> JSON {
        var r = reader
        var apiVersion = "", kind = ""
        var raw: Range<Int> = 0..<0
        while !r.isAtEnd {
            let (number, wire) = try r.readKey()
            guard wire == .lengthDelimited else { try r.skip(wire); continue }
            let range = try r.readLengthDelimited()
            switch number {
            case unknownFields.typeMeta:
                var t = r.sub(range)
                while !t.isAtEnd {
                    let (n, w) = try t.readKey()
                    guard w == .lengthDelimited else { try t.skip(w); continue }
                    let value = try t.readLengthDelimited()
                    let text = t.string(value) ?? ""
                    if n == 1 { apiVersion = text } else if n == 2 { kind = text }
                }
            case unknownFields.raw:
                raw = range
            default:
                break  // contentEncoding / contentType: Kubernetes writes them empty
            }
        }
        let type = kind.isEmpty ? fallback ?? ProtobufTypeName(apiVersion: apiVersion, kind: kind)
            : ProtobufTypeName(apiVersion: apiVersion, kind: kind)
        guard let message = ProtobufKinds.messageName(apiVersion: type.apiVersion, kind: type.kind, schema: schema) else {
            throw .unknownKind(apiVersion: type.apiVersion, kind: type.kind)
        }
        var object = try ProtobufDecoder(schema: schema).decode(message: message, r.sub(raw), depth: depth)
        guard case .object = object else { return object }
        if !apiVersion.isEmpty { object["apiVersion"] = .string(apiVersion) }
        if !kind.isEmpty { object["kind"] = .string(kind) }
        return object
    }

    /// Encodes a JSON object (with `apiVersion` and `kind`) as an enveloped protobuf document.
    /// `type` names the schema when the object carries no kind (the envelope then stays empty, as Go's).
    static func encodeObject(_ object: JSON, schema: ProtobufSchema, type: ProtobufTypeName? = nil,
                             embedProtobuf: Bool = false) throws(ProtobufError) -> [UInt8] {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        let named = kind.isEmpty ? type ?? ProtobufTypeName(apiVersion: apiVersion, kind: kind)
            : ProtobufTypeName(apiVersion: apiVersion, kind: kind)
        guard let message = ProtobufKinds.messageName(apiVersion: named.apiVersion, kind: named.kind, schema: schema) else {
            throw .unknownKind(apiVersion: named.apiVersion, kind: named.kind)
        }
        var encoder = ProtobufEncoder(schema: schema)
        encoder.embedProtobuf = embedProtobuf
        let raw = try encoder.encode(message: message, object, path: named.kind)
        var typeMeta = ProtobufWriter()
        typeMeta.writeString(1, apiVersion)
        typeMeta.writeString(2, kind)
        var w = ProtobufWriter()
        w.bytes = magic
        w.writeBytes(unknownFields.typeMeta, typeMeta.bytes)
        w.writeBytes(unknownFields.raw, raw)
        w.writeString(unknownFields.contentEncoding, "")
        w.writeString(unknownFields.contentType, "")
        return w.bytes
    }
}

/// An apiVersion and kind, naming a protobuf schema.
public struct ProtobufTypeName: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String

    public init(apiVersion: String, kind: String) {
        self.apiVersion = apiVersion
        self.kind = kind
    }
}
