import KubeCore

/// The Kubernetes protobuf wire form (`application/vnd.kubernetes.protobuf`) of the
/// built-in API types, converted to and from KubeCore's `JSON` as Go's types marshal it.
///
/// Only built-in kinds have protobuf schemas; custom resources are JSON-only, as upstream.
public enum KubeProtobuf {
    public static let mediaType = "application/vnd.kubernetes.protobuf"
    /// The watch stream media type: 4-byte big-endian length-prefixed `WatchEvent` frames.
    public static let watchMediaType = "application/vnd.kubernetes.protobuf;stream=watch"

    /// True when `apiVersion`/`kind` has a protobuf schema (a built-in or meta.k8s.io type).
    public static func hasSchema(apiVersion: String, kind: String) -> Bool {
        ProtobufKinds.messageName(apiVersion: apiVersion, kind: kind, schema: .builtin) != nil
    }

    /// True when the API group is served by kube-apiserver itself (so protobuf is offered).
    public static func isBuiltinGroup(_ group: String) -> Bool {
        ProtobufKinds.isBuiltinGroup(group)
    }

    /// Decodes a `k8s\0`-enveloped document to the object's JSON (with apiVersion and kind
    /// from the envelope). `fallback` names the type when the envelope's typeMeta is empty.
    public static func decode(_ bytes: [UInt8], fallback: ProtobufTypeName? = nil) throws(ProtobufError) -> JSON {
        try ProtobufEnvelope.decodeObject(bytes, schema: .builtin, fallback: fallback)
    }

    /// Encodes a JSON object as a `k8s\0`-enveloped document. Its apiVersion and kind name the
    /// schema; `type` does when the object carries none.
    public static func encode(_ object: JSON, as type: ProtobufTypeName? = nil) throws(ProtobufError) -> [UInt8] {
        try ProtobufEnvelope.encodeObject(object, schema: .builtin, type: type)
    }

    /// One watch frame's payload: a bare `WatchEvent` message (no envelope, as upstream's raw
    /// stream serializer writes it) whose object is an enveloped protobuf document, or JSON
    /// bytes when the object has no protobuf schema.
    public static func encodeWatchEvent(type: String, object: JSON) throws(ProtobufError) -> [UInt8] {
        let schema = ProtobufSchema.builtin
        guard let message = schema.message(named: "apimachinery.pkg.apis.meta.v1.WatchEvent") else {
            throw .unknownKind(apiVersion: "v1", kind: "WatchEvent")
        }
        var encoder = ProtobufEncoder(schema: schema)
        encoder.embedProtobuf = true
        return try encoder.encode(message: message, .object(["type": .string(type), "object": object]), path: "WatchEvent")
    }

    /// Decodes one watch frame's payload to `{"type": ..., "object": ...}`.
    public static func decodeWatchEvent(_ bytes: [UInt8]) throws(ProtobufError) -> JSON {
        let schema = ProtobufSchema.builtin
        guard let message = schema.message(named: "apimachinery.pkg.apis.meta.v1.WatchEvent") else {
            throw .unknownKind(apiVersion: "v1", kind: "WatchEvent")
        }
        return try ProtobufReader.withReader(bytes) { (r: ProtobufReader) throws(ProtobufError) in
            try ProtobufDecoder(schema: schema).decode(message: message, r)
        }
    }

    /// Frames a payload for a watch stream: 4-byte big-endian length, then the payload.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(clamping: payload.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)] + payload
    }
}
