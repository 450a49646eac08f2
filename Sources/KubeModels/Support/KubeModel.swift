import KubeCore

/// A generated API model: a value type that converts to and from `JSON` directly,
/// and is `Codable` through that conversion (so it also works with any `Encoder`).
///
/// Decoding follows the API server's non-strict rules: unknown members are
/// dropped, `null` reads as absent for optional fields, and a missing required
/// field or a wrongly typed value throws `JSONDecodingError` naming the path.
public protocol KubeModel: JSONValueCodable, Codable, Sendable, Equatable {}

extension KubeModel {
    public init(from decoder: any Decoder) throws {
        try self.init(json: JSON(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try toJSON().encode(to: encoder)
    }

    /// Parses JSON text into the model.
    public init(jsonString: String) throws {
        try self.init(json: JSON.parse(jsonString))
    }

    /// Parses JSON bytes into the model.
    public init<Bytes: Collection<UInt8>>(jsonBytes: Bytes) throws {
        try self.init(json: JSON.parse(bytes: jsonBytes))
    }

    /// Compact JSON text, keys sorted.
    public func jsonString() -> String { toJSON().serialized() }
}
