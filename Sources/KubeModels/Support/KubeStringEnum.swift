import KubeCore

/// A string-valued API enum that keeps values it does not know.
///
/// Kubernetes adds enum values over time; a client built against v1.37 must still
/// read (and write back) an object carrying a newer value, so these are structs
/// over a raw string with the known values as static constants, not closed enums.
public protocol KubeStringEnum: RawRepresentable<String>, JSONValueCodable, Codable, Sendable, Hashable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    init(rawValue: String)
}

extension KubeStringEnum {
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public init(json: JSON) throws(JSONDecodingError) {
        guard case .string(let s) = json else { throw .typeMismatch(expected: "string", got: json) }
        self.init(rawValue: s)
    }

    public func toJSON() -> JSON { .string(rawValue) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
