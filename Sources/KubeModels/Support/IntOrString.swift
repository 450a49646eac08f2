import KubeCore

/// A value that is either an integer or a string (`intstr.IntOrString`), such as a
/// port number or name, or a count or percentage ("25%").
public enum IntOrString: Sendable, Hashable, Codable, JSONValueCodable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral
{
    case int(Int32)
    case string(String)

    public init(integerLiteral value: Int32) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }

    public init(json: JSON) throws(JSONDecodingError) {
        switch json {
        case .string(let s): self = .string(s)
        case .int, .double: self = .int(try Int32(json: json))
        default: throw .typeMismatch(expected: "integer or string", got: json)
        }
    }

    public func toJSON() -> JSON {
        switch self {
        case .int(let i): return .int(Int64(i))
        case .string(let s): return .string(s)
        }
    }

    public init(from decoder: any Decoder) throws { try self.init(json: JSON(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try toJSON().encode(to: encoder) }

    public var description: String {
        switch self {
        case .int(let i): return String(i)
        case .string(let s): return s
        }
    }

    /// The integer, or for a percentage string ("25%") that share of `total`,
    /// rounded up or down as Kubernetes' `GetScaledValueFromIntOrPercent` does.
    /// Nil for any other string.
    public func scaledValue(total: Int, roundUp: Bool) -> Int? {
        switch self {
        case .int(let i): return Int(i)
        case .string(let s):
            guard s.hasSuffix("%"), let percent = Int(s.dropLast()) else { return nil }
            let product = percent * total
            if roundUp { return (product + 99) / 100 }
            return product / 100
        }
    }
}
