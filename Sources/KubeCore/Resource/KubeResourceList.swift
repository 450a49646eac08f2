/// A typed list of resources, as returned by a list call.
public protocol KubeResourceList: Codable, Sendable {
    associatedtype Item: KubeResource
    associatedtype ListMetadata: KubeListMetadata & Codable
    var metadata: ListMetadata? { get }
    var items: [Item] { get }
}

