/// The patch formats the Kubernetes API accepts, by their request Content-Type.
public enum PatchType: String, Sendable, Hashable, CaseIterable {
    /// RFC 6902 JSON Patch: an array of operations.
    case json = "application/json-patch+json"
    /// RFC 7386 JSON Merge Patch.
    case merge = "application/merge-patch+json"
    /// Kubernetes strategic merge patch (built-in types only).
    case strategic = "application/strategic-merge-patch+json"
    /// Server-side apply (body is YAML or JSON).
    case apply = "application/apply-patch+yaml"

    /// The Content-Type header value.
    public var contentType: String { rawValue }

    /// Recognises a Content-Type header, ignoring parameters such as `; charset=utf-8`.
    public init?(contentType: String) {
        var media = Substring(contentType)
        if let semicolon = media.firstIndex(of: ";") { media = media[..<semicolon] }
        let trimmed = media.trimmingSpaces().lowercased()
        if trimmed == "application/apply-patch+json" {
            self = .apply
            return
        }
        self.init(rawValue: trimmed)
    }
}
