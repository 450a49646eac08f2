/// Kubernetes' syntax rules for label keys and values (apimachinery `validation.IsQualifiedName`
/// and `IsValidLabelValue`), checked byte by byte because they are ASCII-only.
///
/// Public so the test server can validate `metadata.labels` of stored objects with the
/// same rules the selector parser uses.
public enum LabelValidation {
    /// Returns nil when `key` is a valid qualified name (`[prefix/]name`), else the reason
    /// naming the key (for selector errors).
    static func keyProblem(_ key: String) -> String? {
        keyReason(key).map { "label key \"\(key)\": " + $0 }
    }

    /// Returns nil when `value` is a valid label value (empty allowed), else the reason
    /// naming the value.
    static func valueProblem(_ value: String) -> String? {
        valueReason(value).map { "label value \"\(value)\": " + $0 }
    }

    /// Returns nil when `key` is a valid qualified name (`[prefix/]name`, the prefix a DNS
    /// subdomain of at most 253 characters, the name at most 63), else why not (several
    /// reasons joined with "; ", as the label selector parser reports them).
    public static func keyReason(_ key: String) -> String? {
        let reasons = keyReasons(key)
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// apimachinery `IsQualifiedName`: every message it gives for `key` (empty when valid);
    /// `ValidateLabels` turns each into one cause.
    public static func keyReasons(_ key: String) -> [String] {
        let bytes = Array(key.utf8)
        let slashes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "/") }
        var reasons: [String] = []
        var name = bytes[...]
        switch slashes.count {
        case 0:
            break
        case 1:
            let prefix = bytes[..<slashes[0]]
            name = bytes[(slashes[0] + 1)...]
            if prefix.isEmpty {
                reasons.append("prefix part must be non-empty")
            } else {
                if prefix.count > 253 { reasons.append("prefix part must be no more than 253 characters") }
                if !isDNSSubdomain(prefix) { reasons.append("prefix part " + dnsSubdomainMessage) }
            }
        default:
            return ["a qualified name " + qualifiedNameMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            reasons.append("name part must be non-empty")
        } else if name.count > 63 {
            reasons.append("name part must be no more than 63 characters")
        }
        if !isNamePart(name) { reasons.append("name part " + qualifiedNameMessage) }
        return reasons
    }

    /// Returns nil when `value` is a valid label value (empty allowed), else why not.
    public static func valueReason(_ value: String) -> String? {
        let reasons = valueReasons(value)
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// apimachinery `IsValidLabelValue`: every message it gives for `value`.
    public static func valueReasons(_ value: String) -> [String] {
        if value.isEmpty { return [] }
        let bytes = Array(value.utf8)
        var reasons: [String] = []
        if bytes.count > 63 { reasons.append("must be no more than 63 characters") }
        if !isNamePart(bytes[...]) {
            reasons.append("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
        }
        return reasons
    }

    static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

    static let dnsSubdomainMessage = #"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#

    @inline(__always)
    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
    static func isNamePart(_ s: ArraySlice<UInt8>) -> Bool {
        guard let first = s.first, let last = s.last, isAlnum(first), isAlnum(last) else { return false }
        for c in s where !(isAlnum(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")) {
            return false
        }
        return true
    }

    /// RFC 1123 subdomain: dot-separated lowercase labels `[a-z0-9]([-a-z0-9]*[a-z0-9])?`.
    static func isDNSSubdomain(_ s: ArraySlice<UInt8>) -> Bool {
        var labelStart = true
        var previous: UInt8 = 0
        for c in s {
            let lowerAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A)
            if c == UInt8(ascii: ".") {
                if labelStart || previous == UInt8(ascii: "-") { return false }
                labelStart = true
            } else if c == UInt8(ascii: "-") {
                if labelStart { return false }
            } else if lowerAlnum {
                labelStart = false
            } else {
                return false
            }
            previous = c
        }
        return !labelStart && previous != UInt8(ascii: "-")
    }
}
