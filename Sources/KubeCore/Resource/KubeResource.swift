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

