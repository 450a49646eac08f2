import KubeCore

/// What the server offers: version, groups, resources. Results are cached in memory until
/// `invalidate()`; one pass fetches everything (two requests with aggregated discovery,
/// 2 + one per group-version with the legacy endpoints).
///
/// Thread-safe; concurrent callers share one load.
public final class DiscoveryClient: Sendable {
    /// Accept header asking for aggregated discovery (v2, then v2beta1), else plain JSON.
    static let aggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

    private let rest: RESTClient
    private let requestAggregated: Bool
    private let cache = Locked<DiscoverySnapshot?>(nil)
    /// Held while a snapshot loads so concurrent callers wait for it instead of refetching.
    private let loading = Locked<Void>(())

    /// `aggregated: false` uses only the legacy per-group-version endpoints (for servers
    /// whose aggregated discovery misbehaves; and to test the fallback).
    public init(rest: RESTClient, aggregated: Bool = true) {
        self.rest = rest
        requestAggregated = aggregated
    }

    /// `GET /version`.
    public func serverVersion() throws(KubeError) -> ServerVersion {
        let response = try rest.raw(method: "GET", path: "/version")
        return ServerVersion(json: try RESTClient.parseJSON(response.body, what: "GET /version"))
    }

    /// All API groups, the core group ("") first.
    public func serverGroups() throws(KubeError) -> [APIGroupInfo] {
        try snapshot().groups
    }

    /// The resources (and subresources) of one group-version, e.g. "v1" or "apps/v1".
    /// A group-version missing from the cache is fetched directly (a CRD added since).
    public func serverResources(forGroupVersion apiVersion: String) throws(KubeError) -> [APIResource] {
        let current = try snapshot()
        if let resources = current.resources[apiVersion] { return resources }
        return try fetchResourceList(GroupVersion(apiVersion: apiVersion))
    }

    /// Groups plus the resources of every group-version (keyed by apiVersion).
    public func serverGroupsAndResources() throws(KubeError) -> (groups: [APIGroupInfo], resources: [String: [APIResource]]) {
        let current = try snapshot()
        return (current.groups, current.resources)
    }

    /// The resources of each group's preferred version, without subresources
    /// (what `kubectl api-resources` prints).
    public func serverPreferredResources() throws(KubeError) -> [APIResource] {
        try snapshot().preferredResources
    }

    /// `serverPreferredResources()` restricted to namespaced resources.
    public func serverPreferredNamespacedResources() throws(KubeError) -> [APIResource] {
        try snapshot().preferredResources.filter(\.namespaced)
    }

    /// Group-versions whose resource lists failed to load in the last pass (legacy discovery
    /// only; e.g. an unavailable aggregated API), with the error text.
    public func failedGroupVersions() throws(KubeError) -> [String: String] {
        try snapshot().failedGroupVersions
    }

    /// True when the server answered with aggregated discovery (loads discovery if needed).
    public func usesAggregatedDiscovery() throws(KubeError) -> Bool {
        try snapshot().aggregated
    }

    /// Forgets the cached results; the next call fetches again.
    public func invalidate() {
        cache.withLock { $0 = nil }
    }

    func snapshot() throws(KubeError) -> DiscoverySnapshot {
        if let current = cache.withLock({ $0 }) { return current }
        return try loading.withLock { (_: inout Void) throws(KubeError) -> DiscoverySnapshot in
            if let current = cache.withLock({ $0 }) { return current }
            let fresh = try load()
            cache.withLock { $0 = fresh }
            return fresh
        }
    }

    private func load() throws(KubeError) -> DiscoverySnapshot {
        var snapshot = DiscoverySnapshot()
        let core = try rest.raw(method: "GET", path: "/api",
                                accept: requestAggregated ? Self.aggregatedAccept : "application/json")
        let coreJSON = try RESTClient.parseJSON(core.body, what: "GET /api")
        if coreJSON["kind"]?.stringValue == "APIGroupDiscoveryList" {
            snapshot.aggregated = true
            snapshot.addAggregated(coreJSON)
            if let apis = try optionalGET("/apis", accept: Self.aggregatedAccept) {
                snapshot.addAggregated(apis)
            }
            return snapshot
        }
        // Legacy discovery.
        let coreVersions = APIResource.strings(coreJSON["versions"])
        if !coreVersions.isEmpty {
            snapshot.groups.append(APIGroupInfo(name: "", versions: coreVersions, preferredVersion: coreVersions[0]))
        }
        if let apis = try optionalGET("/apis", accept: "application/json") {
            for group in apis["groups"]?.arrayValue ?? [] {
                guard let name = group["name"]?.stringValue else { continue }
                let versions = (group["versions"]?.arrayValue ?? []).compactMap { $0["version"]?.stringValue }
                guard let first = versions.first else { continue }
                let preferred = group["preferredVersion"]?["version"]?.stringValue ?? first
                snapshot.groups.append(APIGroupInfo(name: name, versions: versions, preferredVersion: preferred))
            }
        }
        for group in snapshot.groups {
            for version in group.versions {
                let gv = GroupVersion(group: group.name, version: version)
                do throws(KubeError) {
                    snapshot.resources[gv.apiVersion] = try fetchResourceList(gv)
                } catch {
                    if case .transport = error { throw error }
                    snapshot.failedGroupVersions[gv.apiVersion] = error.description
                }
            }
        }
        return snapshot
    }

    private func fetchResourceList(_ gv: GroupVersion) throws(KubeError) -> [APIResource] {
        let path = gv.pathPrefix
        let response = try rest.raw(method: "GET", path: path)
        let json = try RESTClient.parseJSON(response.body, what: "GET \(path)")
        return (json["resources"]?.arrayValue ?? []).compactMap { APIResource(legacy: $0, groupVersion: gv) }
    }

    /// GET that treats 404 as "absent" (old servers without /apis).
    private func optionalGET(_ path: String, accept: String) throws(KubeError) -> JSON? {
        do throws(KubeError) {
            let response = try rest.raw(method: "GET", path: path, accept: accept)
            return try RESTClient.parseJSON(response.body, what: "GET \(path)")
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }
}
