/// Why a protobuf document could not be read or written.
///
/// Every malformed input ends here: the reader checks each length against what is left,
/// so truncated or hostile input is an error, never a crash or a huge allocation.
public enum ProtobufError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside a varint, fixed-width value or length-delimited field.
    case truncated
    /// A varint longer than 10 bytes.
    case malformedVarint
    /// A length prefix larger than what is left of the input.
    case lengthOutOfRange(UInt64)
    /// A field arrived with a wire type its schema does not allow (e.g. a varint for a string).
    case wrongWireType(message: String, field: Int, wireType: Int)
    /// Wire types 3, 4 (groups), 6 and 7, which no Kubernetes message uses.
    case unsupportedWireType(Int)
    /// Field number 0 or above the protobuf maximum.
    case invalidFieldNumber(UInt64)
    /// The document does not start with the `k8s\0` magic.
    case missingMagic
    /// No protobuf schema for this apiVersion/kind (custom resources have none).
    case unknownKind(apiVersion: String, kind: String)
    /// A string field holds bytes that are not UTF-8.
    case invalidUTF8(message: String, field: String)
    /// Embedded JSON (RawExtension, FieldsV1) that does not parse.
    case invalidEmbeddedJSON(String)
    /// A JSON value that cannot be written as its field's protobuf type.
    case invalidValue(path: String, reason: String)
    /// Nesting deeper than `ProtobufLimits.maxDepth`.
    case tooDeep

    public var description: String {
        switch self {
        case .truncated: return "unexpected end of protobuf data"
        case .malformedVarint: return "malformed varint"
        case .lengthOutOfRange(let n): return "length \(n) exceeds the remaining data"
        case .wrongWireType(let m, let f, let w): return "field \(f) of \(m) has wire type \(w)"
        case .unsupportedWireType(let w): return "unsupported wire type \(w)"
        case .invalidFieldNumber(let n): return "invalid field number \(n)"
        case .missingMagic: return "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
        case .unknownKind(let v, let k): return "no protobuf schema for \(v), Kind=\(k)"
        case .invalidUTF8(let m, let f): return "field \(f) of \(m) is not valid UTF-8"
        case .invalidEmbeddedJSON(let why): return "embedded JSON is invalid: \(why)"
        case .invalidValue(let path, let reason): return "\(path): \(reason)"
        case .tooDeep: return "protobuf message nested too deeply"
        }
    }
}

/// Bounds on hostile input.
enum ProtobufLimits {
    /// Kubernetes objects nest a few dozen levels at most; JSON's parser uses a similar bound.
    static let maxDepth = 100
}
