/// One term of a label selector, such as `app=web`, `tier in (a,b)` or `!canary`.
///
/// Values are kept sorted and without duplicates so that equal requirements compare
/// and print the same way however they were written.
public struct LabelRequirement: Sendable, Hashable, CustomStringConvertible {
    /// The comparison a requirement makes.
    public enum Operator: String, Sendable, Hashable {
        /// `key=value` or `key==value`: the label is present with that value.
        case equals = "="
        /// `key!=value`: the label is absent or has another value.
        case notEquals = "!="
        /// `key in (a,b)`: the label is present with one of the values.
        case `in` = "in"
        /// `key notin (a,b)`: the label is absent or has none of the values.
        case notIn = "notin"
        /// `key`: the label is present.
        case exists = "exists"
        /// `!key`: the label is absent.
        case doesNotExist = "!"
        /// `key>n`: the label is present, an integer, and greater than n.
        case greaterThan = "gt"
        /// `key<n`: the label is present, an integer, and less than n.
        case lessThan = "lt"
    }

    /// The label key.
    public let key: String
    /// The comparison.
    public let op: Operator
    /// The values, sorted and unique. Empty for `exists` / `doesNotExist`, one for `=`, `!=`, `gt`, `lt`.
    public let values: [String]

    /// Builds a validated requirement (key syntax, value syntax, value count per operator).
    public init(key: String, op: Operator, values: [String]) throws(SelectorError) {
        func fail(_ message: String) -> SelectorError {
            SelectorError(selector: key, message: message)
        }
        if let problem = LabelValidation.keyProblem(key) { throw fail(problem) }
        switch op {
        case .equals, .notEquals:
            if values.count != 1 { throw fail("operator '\(op.rawValue)' needs exactly one value") }
        case .in, .notIn:
            if values.isEmpty { throw fail("operator '\(op.rawValue)' needs at least one value") }
        case .exists, .doesNotExist:
            if !values.isEmpty { throw fail("operator '\(op == .exists ? "exists" : "!")' takes no values") }
        case .greaterThan, .lessThan:
            if values.count != 1 { throw fail("operator '\(op == .greaterThan ? ">" : "<")' needs exactly one value") }
            if Int64(values[0]) == nil {
                throw fail("value \"\(values[0])\" for operator '\(op == .greaterThan ? ">" : "<")' must be an integer")
            }
        }
        if op != .greaterThan && op != .lessThan {
            for value in values {
                if let problem = LabelValidation.valueProblem(value) { throw fail(problem) }
            }
        }
        self.key = key
        self.op = op
        self.values = values.count > 1 ? Array(Set(values)).sorted() : values
    }

    /// Whether a label set satisfies this requirement.
    public func matches(_ labels: [String: String]) -> Bool {
        matches { labels[$0] }
    }

    /// Whether the labels seen through `lookup` (label value or nil when absent) satisfy this
    /// requirement; lets callers match labels held in JSON without building a dictionary.
    public func matches(_ lookup: (String) -> String?) -> Bool {
        switch op {
        case .equals, .in:
            guard let value = lookup(key) else { return false }
            return values.count == 1 ? values[0] == value : values.contains(value)
        case .notEquals, .notIn:
            guard let value = lookup(key) else { return true }
            return values.count == 1 ? values[0] != value : !values.contains(value)
        case .exists:
            return lookup(key) != nil
        case .doesNotExist:
            return lookup(key) == nil
        case .greaterThan, .lessThan:
            guard let text = lookup(key), let have = Int64(text), let bound = Int64(values[0]) else { return false }
            return op == .greaterThan ? have > bound : have < bound
        }
    }

    /// Canonical text: `k=v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>n`, `k<n`.
    public var description: String {
        switch op {
        case .equals: return key + "=" + values[0]
        case .notEquals: return key + "!=" + values[0]
        case .in: return key + " in (" + values.joined(separator: ",") + ")"
        case .notIn: return key + " notin (" + values.joined(separator: ",") + ")"
        case .exists: return key
        case .doesNotExist: return "!" + key
        case .greaterThan: return key + ">" + values[0]
        case .lessThan: return key + "<" + values[0]
        }
    }
}
