/// A Kubernetes label selector: an AND of requirements over an object's labels.
///
/// Parse the text form with `init(parsing:)` (the `labelSelector` query parameter syntax)
/// or build one from a `metav1.LabelSelector` JSON value with `init(labelSelectorJSON:)`.
/// Requirements are kept sorted by key, so two selectors that mean the same thing written
/// in a different order compare equal and print the same canonical `description`.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// The requirements, sorted by key; all must hold for a match.
    public let requirements: [LabelRequirement]

    /// The selector with no requirements: matches every label set.
    public static let everything = LabelSelector(uncheckedRequirements: [])

    /// Parses the text syntax: `=`, `==`, `!=`, `in (a,b)`, `notin (a,b)`, `key`, `!key`,
    /// `key>n`, `key<n`, comma for AND, whitespace ignored. The empty string selects everything.
    public init(parsing text: String) throws(SelectorError) {
        var parser = LabelSelectorParser(text)
        self.init(uncheckedRequirements: try parser.parse())
    }

    /// Builds a selector from requirements (already validated by `LabelRequirement.init`).
    public init(requirements: [LabelRequirement]) {
        self.init(uncheckedRequirements: requirements)
    }

    /// A selector requiring each label to have the given value (`matchLabels`).
    public init(matchLabels: [String: String]) throws(SelectorError) {
        var requirements: [LabelRequirement] = []
        requirements.reserveCapacity(matchLabels.count)
        for (key, value) in matchLabels {
            requirements.append(try LabelRequirement(key: key, op: .equals, values: [value]))
        }
        self.init(uncheckedRequirements: requirements)
    }

    private init(uncheckedRequirements: [LabelRequirement]) {
        // Sort by key then by text so the order is total and the canonical form deterministic.
        self.requirements = uncheckedRequirements.count > 1
            ? uncheckedRequirements.sorted { ($0.key, $0.description) < ($1.key, $1.description) }
            : uncheckedRequirements
    }

    /// Whether every requirement holds for `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        for requirement in requirements where !requirement.matches(labels) {
            return false
        }
        return true
    }

    /// Whether every requirement holds for the labels seen through `lookup`.
    public func matches(_ lookup: (String) -> String?) -> Bool {
        for requirement in requirements where !requirement.matches(lookup) {
            return false
        }
        return true
    }

    /// Whether every requirement holds for an object's `metadata.labels` JSON (absent or
    /// non-object counts as no labels; non-string values as absent).
    public func matches(labelsJSON labels: JSON?) -> Bool {
        if requirements.isEmpty { return true }
        let members = labels?.objectValue
        return matches { members?[$0]?.stringValue }
    }

    /// True when the selector has no requirements (it selects everything).
    public var isEmpty: Bool { requirements.isEmpty }

    /// Canonical text form, parseable by `init(parsing:)`; `==` is printed as `=`.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }
}
