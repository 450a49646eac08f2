/// A Kubernetes field selector: an AND of `field=value` / `field!=value` terms.
///
/// Text syntax as apimachinery's `fields.ParseSelector`: terms separated by commas,
/// operators `=`, `==`, `!=`, and a backslash escaping `\`, `,` or `=` inside values.
/// Which fields exist is the server's business; this type only parses and matches.
public struct FieldSelector: Sendable, Hashable, CustomStringConvertible {
    /// The terms in the order written; all must hold.
    public let requirements: [FieldRequirement]

    /// The selector with no terms: matches everything.
    public static let everything = FieldSelector(requirements: [])

    /// A selector from terms.
    public init(requirements: [FieldRequirement]) {
        self.requirements = requirements
    }

    /// Parses the text syntax. The empty (or all-blank) string selects everything.
    public init(parsing text: String) throws(SelectorError) {
        var requirements: [FieldRequirement] = []
        let bytes = Array(text.utf8)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            self.requirements = []
            return
        }
        // Empty terms are skipped, so a leading, trailing or doubled comma is accepted
        // (as kube-apiserver's fields.ParseSelector does).
        for term in Self.splitTerms(bytes) where !term.isEmpty {
            requirements.append(try Self.parseTerm(term, in: text))
        }
        self.requirements = requirements
    }

    /// Whether every term holds; `lookup` returns a field's value or nil when absent.
    public func matches(_ lookup: (String) -> String?) -> Bool {
        for requirement in requirements where !requirement.matches(lookup) {
            return false
        }
        return true
    }

    /// True when the selector has no terms.
    public var isEmpty: Bool { requirements.isEmpty }

    /// Canonical text: terms joined by `,`, `==` printed as `=`, values escaped.
    public var description: String {
        requirements.map(\.description).joined(separator: ",")
    }

    /// The value required by an `=` term on `field`, if there is one (for index lookups,
    /// e.g. `metadata.name=foo` turns a list into a get).
    public func requiredValue(for field: String) -> String? {
        requirements.first { $0.field == field && $0.op == .equals }?.value
    }

    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "=") }) else {
            return value
        }
        var out = ""
        for ch in value.unicodeScalars {
            if ch == "\\" || ch == "," || ch == "=" { out.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out
    }

    /// Splits on commas not escaped by a backslash; escapes stay in the terms.
    private static func splitTerms(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var terms: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if c == UInt8(ascii: ",") {
                terms.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        terms.append(bytes[start..<bytes.count])
        return terms
    }

    private static func parseTerm(_ term: ArraySlice<UInt8>, in text: String) throws(SelectorError) -> FieldRequirement {
        let termText = String(decoding: term, as: UTF8.self)
        var index = term.startIndex
        while index < term.endIndex {
            let c = term[index]
            if c == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            let next: UInt8? = index + 1 < term.endIndex ? term[index + 1] : nil
            var op: FieldRequirement.Operator?
            var width = 0
            if c == UInt8(ascii: "!") && next == UInt8(ascii: "=") {
                op = .notEquals; width = 2
            } else if c == UInt8(ascii: "=") && next == UInt8(ascii: "=") {
                op = .equals; width = 2
            } else if c == UInt8(ascii: "=") {
                op = .equals; width = 1
            }
            if let op {
                let field = trimmed(String(decoding: term[term.startIndex..<index], as: UTF8.self))
                if field.isEmpty {
                    throw SelectorError(selector: text, message: "term '\(termText)' has no field name")
                }
                // '!' would make the canonical `field!=…` ambiguous; neither character occurs in field paths.
                if field.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "!") }) {
                    throw SelectorError(selector: text, message: "field name in term '\(termText)' must not contain '\\' or '!'")
                }
                let value = try unescape(term[(index + width)...], term: termText, in: text)
                return FieldRequirement(field: field, op: op, value: value)
            }
            index += 1
        }
        throw SelectorError(selector: text, message: "term '\(termText)' has no operator (expected =, == or !=)")
    }

    private static func unescape(_ raw: ArraySlice<UInt8>, term: String, in text: String) throws(SelectorError) -> String {
        guard raw.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "=") }) else {
            return String(decoding: raw, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let c = raw[index]
            if c == UInt8(ascii: "\\") {
                guard index + 1 < raw.endIndex else {
                    throw SelectorError(selector: text, message: "term '\(term)' ends with an unfinished escape '\\'")
                }
                let escaped = raw[index + 1]
                guard escaped == UInt8(ascii: "\\") || escaped == UInt8(ascii: ",") || escaped == UInt8(ascii: "=") else {
                    throw SelectorError(selector: text,
                                        message: "invalid escape sequence '\\\(Character(Unicode.Scalar(escaped)))' in term '\(term)' (only \\\\, \\, and \\= are allowed)")
                }
                out.append(escaped)
                index += 2
            } else if c == UInt8(ascii: "=") {
                // As fields.UnescapeValue: an `=` inside a value must be written `\=`.
                throw SelectorError(selector: text, message: "unescaped character '=' in the value of term '\(term)' (write it as \\=)")
            } else {
                out.append(c)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func trimmed(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.first, f == " " || f == "\t" { sub = sub.dropFirst() }
        while let l = sub.last, l == " " || l == "\t" { sub = sub.dropLast() }
        return String(sub)
    }
}
