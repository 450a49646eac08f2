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

/// What generic code may read from an object's metadata without knowing the model type.
///
/// KubeModels' `MetaV1.ObjectMeta` conforms; so can a custom metadata type.
public protocol KubeObjectMetadata: Sendable {
    var name: String? { get set }
    var namespace: String? { get set }
    var resourceVersion: String? { get set }
    var uid: String? { get }
    var labels: [String: String]? { get set }
    var annotations: [String: String]? { get set }
}

/// What generic code may read from a list's metadata (for paging and watching).
public protocol KubeListMetadata: Sendable {
    var resourceVersion: String? { get }
    /// The continue token of a paged list (`continue` in JSON).
    var continueToken: String? { get }
    var remainingItemCount: Int64? { get }
}

/// A top-level API kind that a typed client can serve.
///
/// ```swift
/// struct CronTab: KubeResource {
///     static let identity = ResourceIdentity(group: "stable.example.com", version: "v1",
///                                            kind: "CronTab", plural: "crontabs", namespaced: true)
///     var apiVersion: String? = "stable.example.com/v1"
///     var kind: String? = "CronTab"
///     var metadata: ObjectMeta?
///     var spec: Spec?
/// }
/// ```
/// `List` defaults to `ResourceList<Self>`; generated kinds use their generated list type.
public protocol KubeResource: Codable, Sendable {
    associatedtype Metadata: KubeObjectMetadata & Codable
    associatedtype List: KubeResourceList = ResourceList<Self> where List.Item == Self

    /// The kind's place in the API.
    static var identity: ResourceIdentity { get }
    /// Standard object metadata.
    var metadata: Metadata? { get set }
}

/// A typed list of resources, as returned by a list call.
public protocol KubeResourceList: Codable, Sendable {
    associatedtype Item: KubeResource
    associatedtype ListMetadata: KubeListMetadata & Codable
    var metadata: ListMetadata? { get }
    var items: [Item] { get }
}

/// List metadata for `ResourceList`: the members of metav1.ListMeta that clients use.
public struct ResourceListMetadata: KubeListMetadata, Codable, Hashable {
    public var resourceVersion: String?
    public var continueToken: String?
    public var remainingItemCount: Int64?
    public var selfLink: String?

    public init(resourceVersion: String? = nil, continueToken: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }

    enum CodingKeys: String, CodingKey {
        case resourceVersion, remainingItemCount, selfLink
        case continueToken = "continue"
    }
}

/// The default list type of a custom resource: `{apiVersion, kind, metadata, items}`.
public struct ResourceList<Item: KubeResource>: KubeResourceList {
    public var apiVersion: String?
    public var kind: String?
    public var metadata: ResourceListMetadata?
    public var items: [Item]

    public init(apiVersion: String? = nil, kind: String? = nil, metadata: ResourceListMetadata? = nil, items: [Item] = []) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.items = items
    }

    enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, items
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decodeIfPresent(ResourceListMetadata.self, forKey: .metadata)
        // The API server sends `"items": null` for an empty list of some kinds.
        items = try c.decodeIfPresent([Item].self, forKey: .items) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encodeIfPresent(metadata, forKey: .metadata)
        try c.encode(items, forKey: .items)
    }
}
