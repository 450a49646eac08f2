/// How to start a `KubeTestServer`.
public struct KubeTestServerOptions: Sendable {
    /// Address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port.
    public var port: Int = 0
    /// Serve HTTPS with a generated CA (default) or plain HTTP.
    public var useTLS: Bool = true
    /// Where to write the kubeconfig; nil writes one into a fresh temporary directory.
    public var kubeconfigPath: String?
    /// How many changes the watch history keeps; older resourceVersions get 410 Expired.
    public var historyLimit: Int = 10_000
    /// Interval of BOOKMARK events on watches that allow them.
    public var bookmarkInterval: Duration = .seconds(1)
    /// Bearer token with full access; nil generates a random one.
    public var adminToken: String?
    /// Bearer token allowed only get, list and watch; nil generates a random one.
    public var readOnlyToken: String?
    /// User name (certificate CN) of the generated client certificate.
    public var clientCertificateUser: String = "kubeclient-admin"
    /// Manifests (YAML or JSON, multi-document, `List` kinds expanded) loaded at start.
    public var seedFiles: [String] = []
    /// Event-loop threads serving connections.
    public var threads: Int = 2
    /// Offer HTTP/2 (ALPN `h2`, then `http/1.1`) on the TLS listener, as kube-apiserver does.
    /// HTTP/1.1 stays for clients that offer only it (upgrades: exec, attach, port-forward).
    public var http2: Bool = true

    public init() {}
}

/// Failure to start the server, load a seed file or write the kubeconfig.
public struct KubeTestServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
