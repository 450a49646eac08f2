/// One term of a field selector: `field=value` or `field!=value`.
public struct FieldRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The comparison a field requirement makes.
    public enum Operator: String, Sendable, Hashable {
        /// `=` or `==`.
        case equals = "="
        /// `!=`.
        case notEquals = "!="
    }

    /// The field path, such as `metadata.name` or `status.phase`.
    public let field: String
    /// The comparison.
    public let op: Operator
    /// The value compared with (unescaped).
    public let value: String

    /// A field requirement (no validation: field names are the server's business).
    public init(field: String, op: Operator, value: String) {
        self.field = field
        self.op = op
        self.value = value
    }

    /// Whether the object's field value satisfies the requirement. As in apimachinery, a
    /// field the object does not have counts as the empty string.
    public func matches(_ lookup: (String) -> String?) -> Bool {
        let have = lookup(field) ?? ""
        return op == .equals ? have == value : have != value
    }

    /// `field=value` / `field!=value` with `\`, `,` and `=` in the value escaped by a backslash.
    public var description: String {
        field + op.rawValue + FieldSelector.escape(value)
    }
}
