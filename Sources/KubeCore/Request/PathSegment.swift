/// Checks a value that becomes one segment of a request path (group, version, namespace,
/// resource, name, subresource).
///
/// Percent-encoding keeps `/` inside a segment, but `.` and `..` survive encoding and are
/// collapsed by URL normalisation (libcurl, proxies, the server's router): a name `..` in
/// `namespaces/tenant-a/pods/..` addresses the namespace itself. client-go refuses the same
/// values (`IsValidPathSegmentName`: no `.`/`..`, no `/` or `%`); control characters are
/// refused as well, because no API object name can hold one and they corrupt logs.
public enum PathSegment {
    /// The reason `value` cannot be a path segment, or nil when it can.
    public static func problem(_ value: String) -> String? {
        if value.isEmpty { return "may not be empty" }
        if value == "." || value == ".." { return "may not be '\(value)'" }
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x2F: return "may not contain '/'"
            case 0x25: return "may not contain '%'"
            case 0x00: return "may not contain a NUL character"
            case 0x01...0x1F, 0x7F: return "may not contain control characters"
            default: continue
            }
        }
        return nil
    }
}

/// A request that cannot be built as asked: one of its path segments is not allowed.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which part of the request is wrong ("name", "namespace", "resource", ...).
    public var part: String
    /// Why, in words (no secrets: names are not secret).
    public var message: String

    public init(part: String, message: String) {
        self.part = part
        self.message = message
    }

    public var description: String { "\(part) \(message)" }
}
