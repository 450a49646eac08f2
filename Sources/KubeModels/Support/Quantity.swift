import KubeCore

/// A fixed-point amount with a unit suffix (`resource.Quantity`): "100m", "1.5Gi", "2e3", "1k".
///
/// Parsing follows Kubernetes: decimal SI suffixes (n u m "" k M G T P E), binary
/// suffixes (Ki Mi Gi Ti Pi Ei) and decimal exponents (e3, E-2); precision below
/// 1n is rounded up (away from zero). Values are exact (arbitrary precision), so
/// comparison and equality are by value: `"1Gi" == "1024Mi"`.
///
/// The text is written back as it was given, so objects read from the server
/// round-trip unchanged; `canonical` is the form the API server writes
/// ("1.5Gi" → "1536Mi", "0.1" → "100m").
public struct Quantity: Sendable, Hashable, Comparable, Codable, JSONValueCodable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// How the value was written, which decides its canonical form.
    public enum Format: Sendable, Hashable {
        /// Decimal SI suffix or none: "100m", "5", "2k".
        case decimalSI
        /// Binary suffix: "1Gi".
        case binarySI
        /// Decimal exponent: "2e3".
        case decimalExponent
    }

    /// The text as given.
    public let string: String
    /// Nil only for a literal that does not parse (literals cannot throw); such a
    /// quantity compares below every valid one and its canonical form is its text.
    let value: DecimalValue?
    /// The suffix family of `string`.
    public let format: Format

    /// Parses `text`; throws for anything Kubernetes would reject.
    public init(_ text: String) throws(QuantityError) {
        let (value, format) = try QuantityParser.parse(text)
        self.string = text
        self.value = value
        self.format = format
    }

    /// A literal quantity; an invalid literal keeps its text and reports `isValid == false`.
    public init(stringLiteral text: String) {
        if let (value, format) = try? QuantityParser.parse(text) {
            self.value = value
            self.format = format
        } else {
            self.value = nil
            self.format = .decimalSI
        }
        self.string = text
    }

    /// False only for a literal that did not parse.
    public var isValid: Bool { value != nil }

    /// The form the API server writes.
    public var canonical: String {
        guard let value else { return string }
        return QuantityFormatter.canonical(value, format: format)
    }

    public var description: String { string }

    /// The value rounded up to an integer, nil when it does not fit `Int64`.
    public var integerValue: Int64? { value?.scaledInteger(exponent: 0) }
    /// The value in thousandths, rounded up ("100m" → 100, "1" → 1000); nil when it does not fit.
    public var milliValue: Int64? { value?.scaledInteger(exponent: -3) }
    /// The value as a `Double` (approximate).
    public var doubleValue: Double { value?.doubleValue ?? .nan }

    public static func == (a: Quantity, b: Quantity) -> Bool {
        switch (a.value, b.value) {
        case (let x?, let y?): return x == y
        case (nil, nil): return a.string == b.string
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        if let value { hasher.combine(value) } else { hasher.combine(string) }
    }

    public static func < (a: Quantity, b: Quantity) -> Bool {
        switch (a.value, b.value) {
        case (let x?, let y?): return x < y
        case (nil, _?): return true
        case (_?, nil): return false
        case (nil, nil): return a.string < b.string
        }
    }

    public init(json: JSON) throws(JSONDecodingError) {
        switch json {
        case .string(let s):
            do throws(QuantityError) {
                try self.init(s)
            } catch {
                throw JSONDecodingError(error.description)
            }
        case .int(let i):
            // The schema allows a bare number; the server reads it as its decimal text.
            self = (try? Quantity(String(i))) ?? Quantity(stringLiteral: String(i))
        case .double(let d):
            guard let q = try? Quantity(String(d)) else { throw JSONDecodingError("invalid quantity \(d)") }
            self = q
        default:
            throw .typeMismatch(expected: "quantity string", got: json)
        }
    }

    public func toJSON() -> JSON { .string(string) }
    public init(from decoder: any Decoder) throws { try self.init(json: JSON(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try toJSON().encode(to: encoder) }
}

/// Why a quantity string was rejected.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "invalid quantity \"\(text)\": expected a number with an optional suffix (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent such as e3)"
    }
}
