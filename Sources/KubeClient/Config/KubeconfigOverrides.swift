/// Command-line style overrides applied when turning a kubeconfig into a `RESTConfig`
/// (kubectl's `--context`, `--cluster`, `--user`, `--namespace`, `--server`).
/// nil or empty means "as the kubeconfig says".
public struct KubeconfigOverrides: Sendable, Hashable {
    /// Context to use instead of current-context.
    public var context: String?
    /// Cluster to use instead of the context's.
    public var cluster: String?
    /// User to use instead of the context's.
    public var user: String?
    /// Namespace instead of the context's.
    public var namespace: String?
    /// Server URL instead of the cluster's (client-go's masterURL).
    public var masterURL: String?

    public init(context: String? = nil, cluster: String? = nil, user: String? = nil,
                namespace: String? = nil, masterURL: String? = nil) {
        self.context = context.nonEmpty
        self.cluster = cluster.nonEmpty
        self.user = user.nonEmpty
        self.namespace = namespace.nonEmpty
        self.masterURL = masterURL.nonEmpty
    }
}

extension Optional where Wrapped == String {
    /// nil for nil or "", the string otherwise.
    var nonEmpty: String? {
        guard let self, !self.isEmpty else { return nil }
        return self
    }
}
