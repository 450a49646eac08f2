/// A typed list of resources, as returned by a list call.
public protocol KubeResourceList: Codable, Sendable {
    associatedtype Item: KubeResource
    associatedtype ListMetadata: KubeListMetadata & Codable
    var metadata: ListMetadata? { get }
    /// Settable so that the typed client can decode the items apart from the list.
    var items: [Item] { get set }
}

