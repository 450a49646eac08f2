/// Where a kind lives in the API: its group, version, kind, plural resource name and scope.
///
/// Generated models state theirs (from the v1.37 definitions and discovery); a
/// custom resource type states its own, and gets the same typed client.
public struct ResourceIdentity: Sendable, Hashable, CustomStringConvertible {
    /// API group; "" for the core group.
    public var group: String
    public var version: String
    public var kind: String
    /// Plural resource name used in URLs ("deployments").
    public var plural: String
    /// True for namespaced kinds, false for cluster-scoped ones.
    public var namespaced: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }

    /// "v1" for the core group, else "group/version".
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: plural)
    }

    public var groupVersionKind: GroupVersionKind {
        GroupVersionKind(group: group, version: version, kind: kind)
    }

    public var description: String { "\(plural).\(version).\(group)" }
}

