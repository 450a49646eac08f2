import KubeClient
import KubeCore
import KubeModels

/// A kind with a `scale` subresource (autoscaling/v1 `Scale`).
public protocol ScalableResource: KubeResource {}

extension AppsV1.Deployment: ScalableResource {}
extension AppsV1.StatefulSet: ScalableResource {}
extension AppsV1.ReplicaSet: ScalableResource {}
extension CoreV1.ReplicationController: ScalableResource {}

extension TypedResourceClient where Resource: ScalableResource {
    /// GET the `scale` subresource: desired and observed replicas, and the selector.
    public func getScale(_ name: String) throws(KubeError) -> AutoscalingV1.Scale {
        try getSubresource(name, "scale", as: AutoscalingV1.Scale.self)
    }

    /// PUT the `scale` subresource (its resourceVersion, when set, guards against lost updates).
    public func updateScale(_ name: String, _ scale: AutoscalingV1.Scale, fieldManager: String? = nil,
                            dryRun: Bool = false) throws(KubeError) -> AutoscalingV1.Scale {
        try updateSubresource(name, "scale", scale, fieldManager: fieldManager, dryRun: dryRun)
    }

    /// Sets the desired replicas with a merge patch of the `scale` subresource (no read needed).
    public func scale(_ name: String, replicas: Int32, options: PatchOptions = PatchOptions()) throws(KubeError) -> AutoscalingV1.Scale {
        let patch: JSON = ["spec": ["replicas": .int(Int64(replicas))]]
        let body = try dynamic.patchRaw(name, patch.serializedBytes(), type: .merge, subresource: "scale", options: options)
        do {
            return try AutoscalingV1.Scale(jsonBytes: body)
        } catch {
            throw .decoding("scale \(Resource.identity.kind) \(name): \(error)")
        }
    }
}
