/// A kubeconfig file's content (`apiVersion: v1, kind: Config`) as client-go's clientcmd
/// holds it: clusters, users and contexts by name, and the current context.
/// `preferences` and `extensions` at the top level are ignored.
///
/// File paths inside (certificate-authority, client-certificate, client-key, tokenFile, and
/// exec commands containing a slash) are already resolved against the folder of the file
/// that defined them.
public struct Kubeconfig: Sendable, Hashable {
    public var clusters: [String: Cluster]
    /// The `users` list, by name (client-go calls these AuthInfos).
    public var authInfos: [String: AuthInfo]
    public var contexts: [String: Context]
    /// `current-context`; nil when unset or empty.
    public var currentContext: String?

    public init(clusters: [String: Cluster] = [:], authInfos: [String: AuthInfo] = [:],
                contexts: [String: Context] = [:], currentContext: String? = nil) {
        self.clusters = clusters
        self.authInfos = authInfos
        self.contexts = contexts
        self.currentContext = currentContext
    }

    /// True when the file set nothing at all (client-go's `IsEmptyConfig`).
    public var isEmpty: Bool {
        clusters.isEmpty && authInfos.isEmpty && contexts.isEmpty && (currentContext ?? "").isEmpty
    }

    /// Parses kubeconfig YAML (or JSON) text.
    ///
    /// - Parameter path: the file the text came from: relative paths in it are resolved
    ///   against its folder (the working directory when nil), and errors name it.
    public static func parse(_ text: String, path: String? = nil) throws(KubeError) -> Kubeconfig {
        let absolute = path.map(FilePath.absolute)
        let base = absolute.map(FilePath.directory(of:)) ?? FilePath.absolute(".")
        return try KubeconfigDecoder(source: absolute, baseDirectory: base).decode(text)
    }

    /// Reads and parses one kubeconfig file.
    public static func load(file path: String) throws(KubeError) -> Kubeconfig {
        let text: String
        do {
            text = try LocalFile.text(of: path)
        } catch {
            if error.isNotFound { throw .config("kubeconfig file \"\(path)\" does not exist") }
            if error.isTooLarge {
                throw .config("kubeconfig file \"\(path)\" is larger than \(LocalFile.defaultLimit >> 20) MiB")
            }
            throw .config("cannot read kubeconfig file \"\(path)\": \(error.reason)")
        }
        return try parse(text, path: path)
    }

    /// Adds the entries of `other` that this config does not have yet, and its current context
    /// when this one has none: client-go's merge rule for `$KUBECONFIG` (first file wins).
    public mutating func merge(_ other: Kubeconfig) {
        clusters.merge(other.clusters) { mine, _ in mine }
        authInfos.merge(other.authInfos) { mine, _ in mine }
        contexts.merge(other.contexts) { mine, _ in mine }
        if (currentContext ?? "").isEmpty, let theirs = other.currentContext, !theirs.isEmpty {
            currentContext = theirs
        }
    }
}
