import KubeCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

/// A point in time with second precision (`metav1.Time`), written as RFC 3339 in UTC:
/// `2008-01-01T01:01:01Z`. Reading accepts fractional seconds and offsets; writing
/// drops the fraction, as the API server does.
public struct Time: Sendable, Hashable, Comparable, Codable, JSONValueCodable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Int64
    /// Sub-second part, 0..<1_000_000_000 (kept when read, not written).
    public var nanoseconds: Int32

    public init(secondsSince1970: Int64, nanoseconds: Int32 = 0) {
        self.secondsSince1970 = secondsSince1970
        self.nanoseconds = nanoseconds
    }

    /// Parses RFC 3339 text; nil when it is not a valid timestamp.
    public init?(rfc3339 text: String) {
        guard let (s, n) = RFC3339Codec.parse(text) else { return nil }
        self.init(secondsSince1970: s, nanoseconds: n)
    }

    /// RFC 3339, UTC, whole seconds.
    public var rfc3339: String { RFC3339Codec.format(seconds: secondsSince1970, nanoseconds: 0, fractionDigits: 0) }
    public var description: String { rfc3339 }

    public static func < (a: Time, b: Time) -> Bool {
        (a.secondsSince1970, a.nanoseconds) < (b.secondsSince1970, b.nanoseconds)
    }

    /// Go's zero time (0001-01-01T00:00:00Z), which the API writes as `null`.
    public static let zero = Time(secondsSince1970: -62_135_596_800)

    /// True for the zero time.
    public var isZero: Bool { secondsSince1970 == -62_135_596_800 && nanoseconds == 0 }

    /// Reads RFC 3339 text; `null` (inside maps and lists) reads as `zero`, as in Go.
    public init(json: JSON) throws(JSONDecodingError) {
        if case .null = json {
            self = .zero
            return
        }
        guard case .string(let s) = json else { throw .typeMismatch(expected: "RFC 3339 time string", got: json) }
        guard let parsed = Time(rfc3339: s) else { throw JSONDecodingError("invalid RFC 3339 time \"\(s)\"") }
        self = parsed
    }

    public func toJSON() -> JSON { isZero ? .null : .string(rfc3339) }
    public init(from decoder: any Decoder) throws { try self.init(json: JSON(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try toJSON().encode(to: encoder) }
}

#if canImport(FoundationEssentials)
extension Time {
    /// The time as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(secondsSince1970) + Double(nanoseconds) / 1e9)
    }

    /// The time of `date`, truncated to whole seconds.
    public init(_ date: Date) {
        let t = date.timeIntervalSince1970
        self.init(secondsSince1970: Int64(t.rounded(.down)))
    }

    /// The current time, truncated to whole seconds.
    public static func now() -> Time { Time(Date()) }
}

#endif
