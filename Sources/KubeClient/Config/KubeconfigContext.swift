extension Kubeconfig {
    /// A `contexts[].context` entry: which cluster, which user, which namespace.
    public struct Context: Sendable, Hashable {
        public var cluster: String
        /// The user (authInfo) name; empty means no credentials.
        public var user: String
        public var namespace: String?

        public init(cluster: String, user: String, namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }
}
