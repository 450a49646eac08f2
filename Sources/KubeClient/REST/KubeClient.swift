import KubeCore

/// The entry point: one connection pool, discovery cache and REST mapper per instance.
///
/// Synchronous like client-go: every call blocks the calling thread and is safe from any
/// thread. Create one per cluster/identity and share it.
public final class KubeClient: Sendable {
    /// The request layer (raw requests, streams).
    public let rest: RESTClient
    /// Server version, groups and resources (cached; `discovery.invalidate()`).
    public let discovery: DiscoveryClient
    /// Kind ↔ resource mapping over `discovery`.
    public let mapper: RESTMapper

    /// A client for `config` (see `RESTConfig.load` / `.inCluster`).
    public convenience init(config: RESTConfig, options: TransportOptions = TransportOptions()) throws(KubeError) {
        try self.init(rest: RESTClient(config: config, options: options))
    }

    /// A client over an existing REST client (shares its connection pool).
    public init(rest: RESTClient) {
        self.rest = rest
        discovery = DiscoveryClient(rest: rest)
        mapper = RESTMapper(discovery: discovery)
    }

    /// Kills a running exec credential plugin and fails later credential lookups with
    /// `.closed` (see `RESTClient.close`). Safe to call more than once and from any thread.
    public func close() {
        rest.close()
    }

    /// The configuration in use.
    public var config: RESTConfig { rest.config }

    /// The dynamic client for one resource type; scope it with `.namespace(_:)`.
    public func resource(_ resource: GroupVersionResource) -> DynamicResource {
        DynamicResource(rest: rest, resource: resource)
    }

    /// `resource(GroupVersionResource(apiVersion:resource:))`, e.g. ("apps/v1", "deployments").
    public func resource(apiVersion: String, resource: String, namespace: String? = nil) -> DynamicResource {
        DynamicResource(rest: rest, resource: GroupVersionResource(apiVersion: apiVersion, resource: resource))
            .namespace(namespace)
    }

    /// Any request by path; see `RESTClient.raw`.
    public func raw(method: String, path: String, body: [UInt8]? = nil, contentType: String? = nil,
                    accept: String? = "application/json") throws(KubeError) -> HTTPResponse {
        try rest.raw(method: method, path: path, body: body, contentType: contentType, accept: accept)
    }
}
