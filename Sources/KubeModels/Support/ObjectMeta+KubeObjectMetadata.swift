import KubeCore

extension MetaV1.ObjectMeta: KubeObjectMetadata {}

extension MetaV1.ListMeta: KubeListMetadata {
    /// The `continue` token (a Swift keyword, hence the second name).
    public var continueToken: String? { `continue` }
}
