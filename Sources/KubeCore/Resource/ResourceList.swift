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
