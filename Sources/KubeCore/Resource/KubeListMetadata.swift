/// What generic code may read from a list's metadata (for paging and watching).
public protocol KubeListMetadata: Sendable {
    var resourceVersion: String? { get }
    /// The continue token of a paged list (`continue` in JSON).
    var continueToken: String? { get }
    var remainingItemCount: Int64? { get }
}

