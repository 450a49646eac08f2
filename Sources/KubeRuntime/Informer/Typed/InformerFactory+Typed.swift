import KubeClient
import KubeCore

extension InformerFactory {
    /// The shared informer of the resource `type` is served by, as a typed view.
    ///
    /// The resource comes from `R.identity` (the generated models carry their group,
    /// version and plural; custom resource types declare theirs), and the key is the one
    /// `informer(for: GroupVersionResource, ...)` uses with the same arguments and
    /// `metadataOnly: false`: typed and dynamic users of one resource share one
    /// `SharedInformer`, hence one cache and one watch.
    ///
    /// Objects that do not decode as `R` are skipped and reported to the factory's
    /// `options.onWatchError` (with this informer's key) when set, else logged.
    /// - Throws: `.invalidArgument` for a namespace on a cluster-scoped kind; `.closed`
    ///   after `shutdown()`.
    public func informer<R: KubeResource>(for type: R.Type, namespace: String? = nil, labelSelector: String? = nil,
                                          fieldSelector: String? = nil) throws(KubeError) -> TypedInformer<R> {
        let identity = R.identity
        if !identity.namespaced, let namespace, !namespace.isEmpty {
            throw .invalidArgument("\(identity.kind) is cluster-scoped: no namespace \"\(namespace)\" applies")
        }
        let key = InformerKey(resource: identity.groupVersionResource, namespace: namespace,
                              labelSelector: labelSelector, fieldSelector: fieldSelector, metadataOnly: false)
        let shared = try informer(for: key)
        var onDecodeError: (@Sendable (KubeError) -> Void)? = nil
        if let report = options.onWatchError {
            onDecodeError = { @Sendable (error: KubeError) -> Void in report(key, error) }
        }
        return TypedInformer(shared, as: type, onDecodeError: onDecodeError)
    }
}
