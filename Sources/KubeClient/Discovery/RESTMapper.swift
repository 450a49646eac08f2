import KubeCore

/// How one kind is served: its resource, scope and names.
public struct RESTMapping: Sendable, Hashable {
    public var resource: GroupVersionResource
    public var kind: GroupVersionKind
    public var namespaced: Bool
    public var singularName: String
    public var shortNames: [String]

    init(_ resource: APIResource) {
        self.resource = resource.groupVersionResource
        kind = resource.groupVersionKind
        namespaced = resource.namespaced
        singularName = resource.singularName
        shortNames = resource.shortNames
    }
}

/// Maps kinds to resources and back from discovery (client-go's DeferredDiscoveryRESTMapper).
///
/// Lookups use the discovery cache; `reset()` drops it so kinds added since (CRDs) are seen.
/// A failed lookup throws `KubeError.api` with a synthesized 404 NotFound Status
/// ("no matches for kind …"), so `isNotFound` is true for it.
public final class RESTMapper: Sendable {
    public let discovery: DiscoveryClient

    public init(discovery: DiscoveryClient) {
        self.discovery = discovery
    }

    /// The mapping for `gvk` in exactly its version.
    public func mapping(for gvk: GroupVersionKind) throws(KubeError) -> RESTMapping {
        if let found = try find(kind: gvk.kind, group: gvk.group, version: gvk.version) { return found }
        throw Self.noMatch("no matches for kind \"\(gvk.kind)\" in version \"\(gvk.apiVersion)\"")
    }

    /// The mapping for a kind in a group, in `version` or else the group's preferred version
    /// (falling back to any version serving the kind).
    public func mapping(kind: String, group: String, version: String? = nil) throws(KubeError) -> RESTMapping {
        if let found = try find(kind: kind, group: group, version: version) { return found }
        let where_ = version.map { GroupVersion(group: group, version: $0).apiVersion } ?? (group.isEmpty ? "core" : group)
        throw Self.noMatch("no matches for kind \"\(kind)\" in \"\(where_)\"")
    }

    /// The kind served by `resource` (exact group-version).
    public func kind(for resource: GroupVersionResource) throws(KubeError) -> GroupVersionKind {
        let resources = try discovery.serverResources(forGroupVersion: resource.apiVersion)
        if let match = resources.first(where: { $0.name == resource.resource }) {
            return match.groupVersionKind
        }
        throw Self.noMatch("the server doesn't have a resource type \"\(resource.resource)\" in \"\(resource.apiVersion)\"")
    }

    /// Resolves what a user types after `kubectl get`: plural, singular, short name or kind,
    /// optionally qualified as `name.group` or `name.version.group` (preferred version first).
    public func mapping(forResource text: String) throws(KubeError) -> RESTMapping {
        let lowered = text.lowercased()
        let snapshot = try discovery.snapshot()
        var name = lowered
        var groupFilter: String? = nil
        var versionFilter: String? = nil
        if let dot = lowered.firstIndex(of: ".") {
            name = String(lowered[..<dot])
            let rest = String(lowered[lowered.index(after: dot)...])
            // "deployments.v1.apps" or "deployments.apps"
            if let secondDot = rest.firstIndex(of: "."),
               snapshot.groups.contains(where: { $0.name == String(rest[rest.index(after: secondDot)...]) }),
               snapshot.groups.contains(where: { $0.versions.contains(String(rest[..<secondDot])) }) {
                versionFilter = String(rest[..<secondDot])
                groupFilter = String(rest[rest.index(after: secondDot)...])
            } else {
                groupFilter = rest
            }
        }
        for group in snapshot.groups {
            if let groupFilter, group.name != groupFilter { continue }
            var versions = [group.preferredVersion] + group.versions.filter { $0 != group.preferredVersion }
            if let versionFilter { versions = [versionFilter] }
            for version in versions {
                let apiVersion = GroupVersion(group: group.name, version: version).apiVersion
                for resource in snapshot.resources[apiVersion] ?? [] where !resource.isSubresource {
                    if resource.name == name || resource.singularName == name || resource.kind.lowercased() == name
                        || resource.shortNames.contains(name) {
                        return RESTMapping(resource)
                    }
                }
            }
        }
        throw Self.noMatch("the server doesn't have a resource type \"\(text)\"")
    }

    /// Forgets cached discovery (e.g. after creating a CRD).
    public func reset() {
        discovery.invalidate()
    }

    /// Lookup without throwing for "unknown": nil when no resource serves the kind.
    func find(kind: String, group: String, version: String?) throws(KubeError) -> RESTMapping? {
        let snapshot = try discovery.snapshot()
        guard let info = snapshot.groups.first(where: { $0.name == group }) else { return nil }
        var versions: [String]
        if let version {
            versions = [version]
        } else {
            versions = [info.preferredVersion] + info.versions.filter { $0 != info.preferredVersion }
        }
        for version in versions {
            let apiVersion = GroupVersion(group: group, version: version).apiVersion
            for resource in snapshot.resources[apiVersion] ?? [] where !resource.isSubresource && resource.kind == kind {
                return RESTMapping(resource)
            }
        }
        return nil
    }

    static func noMatch(_ message: String) -> KubeError {
        .api(Status(code: 404, reason: .notFound, message: message))
    }
}
