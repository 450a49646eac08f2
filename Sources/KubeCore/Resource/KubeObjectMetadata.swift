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

