/// Field access for decoding an object member by member, used by generated models.
///
/// Absent members and explicit `null` both read as nil for optional fields, as in
/// Go's `encoding/json`. Members the model does not know are ignored, as the API
/// server's non-strict decoder does.
public struct JSONObjectReader: Sendable {
    public let members: [String: JSON]

    /// Fails unless `json` is an object.
    @inlinable
    public init(_ json: JSON) throws(JSONDecodingError) {
        guard case .object(let members) = json else { throw .typeMismatch(expected: "object", got: json) }
        self.members = members
    }

    /// An optional member: nil when missing or null.
    @inlinable
    public func optional<T: JSONValueCodable>(_ key: String) throws(JSONDecodingError) -> T? {
        guard let value = members[key] else { return nil }
        if case .null = value { return nil }
        do throws(JSONDecodingError) {
            return try T(json: value)
        } catch {
            throw error.inside(.key(key))
        }
    }

    /// A member the API marks as required: missing or null is an error naming it.
    @inlinable
    public func required<T: JSONValueCodable>(_ key: String) throws(JSONDecodingError) -> T {
        guard let value = members[key], !value.isNull else {
            throw JSONDecodingError("required field is missing").inside(.key(key))
        }
        do throws(JSONDecodingError) {
            return try T(json: value)
        } catch {
            throw error.inside(.key(key))
        }
    }
}
