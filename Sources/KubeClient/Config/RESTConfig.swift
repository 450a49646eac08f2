/// Everything needed to reach and authenticate to one API server: the result of loading a
/// kubeconfig (`load`) or the in-cluster service account (`inCluster`), or built by hand.
///
/// Certificates and keys are held in memory; the only files read after loading are a
/// token file (`Credentials.tokenFile`) and whatever an exec plugin does.
public struct RESTConfig: Sendable {
    /// Default client-side rate limit, requests per second (client-go's default).
    public static let defaultQPS: Double = 5
    /// Default burst above `qps` (client-go's default).
    public static let defaultBurst = 10
    /// Where Kubernetes mounts a pod's service-account token, CA and namespace.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Base URL, e.g. `https://127.0.0.1:6443`; may carry a path prefix. A password in it
    /// (`https://user:secret@host`) is never used for authentication and is replaced by
    /// `xxxxx` on assignment, as Go's `URL.Redacted` shows it, so that it cannot leak into
    /// messages, logs or `description`.
    public var host: String {
        didSet { host = URLRedaction.redacted(host) }
    }
    /// Namespace of the chosen context (or the override), else `default`.
    public var namespace: String
    public var tls: TLSSettings
    public var credentials: Credentials
    public var impersonate: Impersonation?
    /// `http`, `https` or `socks5` proxy for all requests.
    public var proxyURL: String?
    /// nil means `UserAgent.default` (`kubeclient/VERSION (OS/ARCH)`).
    public var userAgent: String?
    /// Client-side rate limit in requests per second; `defaultQPS` (5) unless changed. Negative disables it.
    public var qps: Double
    /// Requests allowed at once above the rate; `defaultBurst` (10) unless changed.
    public var burst: Int
    /// Per-request timeout; nil means none (watches are never cut by it).
    public var timeout: Duration?
    /// Ask for uncompressed responses (the cluster's `disable-compression`): no
    /// Accept-Encoding is sent, whatever `TransportOptions.compression` says.
    public var disableCompression: Bool = false

    public init(host: String, namespace: String = "default", tls: TLSSettings = TLSSettings(),
                credentials: Credentials = .none, impersonate: Impersonation? = nil, proxyURL: String? = nil,
                userAgent: String? = nil, qps: Double = RESTConfig.defaultQPS, burst: Int = RESTConfig.defaultBurst,
                timeout: Duration? = nil) {
        self.host = URLRedaction.redacted(host)
        self.namespace = namespace
        self.tls = tls
        self.credentials = credentials
        self.impersonate = impersonate
        self.proxyURL = proxyURL
        self.userAgent = userAgent
        self.qps = qps
        self.burst = burst
        self.timeout = timeout
    }

    /// Loads a kubeconfig the way client-go's `clientcmd` does.
    ///
    /// - `path`: an explicit kubeconfig file (must exist); otherwise the files of the
    ///   colon-separated `$KUBECONFIG` list are merged (missing ones skipped; the first file
    ///   that sets a cluster, user or context wins, and the first that sets current-context),
    ///   otherwise `~/.kube/config`.
    /// - `context`: the context to use instead of current-context.
    /// - `masterURL`: overrides the cluster's server. With no kubeconfig at all, the result
    ///   is a config with just this host (`BuildConfigFromFlags(masterURL, "")`).
    /// - `namespace`: overrides the context's namespace.
    /// - `cluster`, `user`: override the cluster or user the context names.
    ///
    /// When no kubeconfig was found (and neither `path` nor `masterURL` was given), falls back
    /// to the in-cluster configuration if `KUBERNETES_SERVICE_HOST`/`PORT` and the service-account
    /// token exist, as kubectl does.
    /// Errors (`KubeError.config`) name the file, context, cluster or user at fault and
    /// never contain secrets.
    public static func load(path: String? = nil, context: String? = nil, masterURL: String? = nil,
                            namespace: String? = nil, cluster: String? = nil,
                            user: String? = nil) throws(KubeError) -> RESTConfig {
        let overrides = KubeconfigOverrides(context: context, cluster: cluster, user: user,
                                            namespace: namespace, masterURL: masterURL)
        return try KubeconfigLoader(environment: ProcessEnvironment.current())
            .restConfig(explicitPath: path, overrides: overrides)
    }

    /// The configuration of a pod's service account: host from `KUBERNETES_SERVICE_HOST` and
    /// `KUBERNETES_SERVICE_PORT`, bearer token from `root/token` (re-read as the kubelet rotates
    /// it), CA from `root/ca.crt`, namespace from `root/namespace` (`POD_NAMESPACE` wins).
    public static func inCluster(root: String = RESTConfig.serviceAccountDirectory) throws(KubeError) -> RESTConfig {
        try InClusterConfig(root: root, environment: ProcessEnvironment.current()).load()
    }

    /// The User-Agent requests send: `userAgent`, or `UserAgent.default`.
    public var effectiveUserAgent: String { userAgent ?? UserAgent.default }
}

extension RESTConfig: CustomStringConvertible {
    /// A one-line summary without secrets.
    public var description: String {
        "RESTConfig(host: \(host), namespace: \(namespace), credentials: \(credentials), tls: \(tls))"
    }
}
