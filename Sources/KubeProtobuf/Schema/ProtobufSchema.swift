/// The protobuf schemas of the Kubernetes built-in types, as one table of messages.
///
/// Built from the generated `table` string (scripts/generate-protobuf-schema.py) on first
/// use; a parsed table rather than generated per-message code keeps compile time low.
public struct ProtobufSchema: Sendable {
    /// Messages by index; fields refer to nested messages by index.
    let messages: [ProtobufMessage]
    /// Message index by name without the `k8s.io.` prefix (`api.core.v1.Pod`).
    let index: [String: Int]

    /// The schema of every built-in type, parsed once.
    public static let builtin: ProtobufSchema = ProtobufSchema(parsing: table)

    /// The message index for a name such as `api.core.v1.ConfigMap`.
    func message(named name: String) -> Int? { index[name] }
}

/// One protobuf message: its fields (sorted by number, the order Go's marshaller writes)
/// and, for types with a hand-written JSON form, which one. A class, so that looking a
/// message up costs one retain rather than one per stored array.
final class ProtobufMessage: Sendable {
    let name: String
    let special: ProtobufSpecialType?
    let fields: [ProtobufField]
    /// Field position + 1 by field number (0: no such field); field numbers are small.
    private let positions: [Int32]

    init(name: String, special: ProtobufSpecialType?, fields: [ProtobufField]) {
        self.name = name
        self.special = special
        self.fields = fields
        var positions = [Int32](repeating: 0, count: (fields.map(\.number).max() ?? 0) + 1)
        for (i, f) in fields.enumerated() where f.number >= 0 { positions[f.number] = Int32(i + 1) }
        self.positions = positions
    }

    /// The position in `fields` of field `number`.
    func position(of number: Int) -> Int? {
        guard number < positions.count else { return nil }
        let p = Int(positions[number])
        return p == 0 ? nil : p - 1
    }
}

/// Types whose JSON form is not an object of their protobuf fields.
enum ProtobufSpecialType: String, Sendable {
    case time, microtime, duration, quantity, intorstring
    /// `runtime.RawExtension`: bytes holding an embedded JSON (or `k8s\0` protobuf) object.
    case rawext
    /// `FieldsV1`: bytes holding JSON.
    case rawjson
    /// A Go slice type wrapped in a message (`ExtraValue`, `Verbs`): JSON is the bare array.
    case list
}

struct ProtobufField: Sendable {
    enum Cardinality: Sendable { case optional, repeated, map }
    enum Kind: Sendable, Equatable {
        case string, bytes, int32, int64, bool, double, float
        case message(Int)
    }

    let number: Int
    let jsonName: String
    let cardinality: Cardinality
    let kind: Kind
    /// The Go field has no `omitempty`: an explicit zero value stays in the JSON when decoding.
    let keepZero: Bool
    /// A Go embedded struct (`json:",inline"`): its fields live in the parent JSON object.
    let inline: Bool
}
