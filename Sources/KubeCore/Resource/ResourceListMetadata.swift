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

