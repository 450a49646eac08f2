import KubeCore

/// One served resource: what discovery says about it and what the handlers need.
struct ResourceInfo: Sendable, Hashable {
    var group: String
    var version: String
    /// Plural name used in URLs.
    var name: String
    var singularName: String
    var kind: String
    var namespaced: Bool
    var verbs: [String]
    var shortNames: [String]
    var categories: [String]
    /// Subresource name → (kind, verbs). "status" and "scale" are implemented; others are listed only.
    var subresources: [String: Subresource]
    /// Set for custom resources: the scale subresource's JSON paths.
    var scalePaths: ScalePaths?
    var isCustom: Bool

    struct Subresource: Sendable, Hashable {
        var kind: String
        var verbs: [String]
    }

    struct ScalePaths: Sendable, Hashable {
        var specReplicas: [String]
        var statusReplicas: [String]
        var labelSelector: [String]?
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// Objects of all versions of one group/resource share storage.
    var storageKey: String { group.isEmpty ? name : "\(name).\(group)" }
    var listKind: String { kind + "List" }
    var hasStatus: Bool { subresources["status"] != nil }
    var hasScale: Bool { subresources["scale"] != nil }
    var gvk: GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind) }

    func allows(_ verb: String) -> Bool { verbs.contains(verb) }
}
