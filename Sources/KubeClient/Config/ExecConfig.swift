import KubeCore

/// An exec credential plugin (`users[].user.exec`): a command that prints an
/// `ExecCredential` (client.authentication.k8s.io/v1 or v1beta1) with a token or a
/// client certificate. Run by `CredentialProvider`.
public struct ExecConfig: Sendable, Hashable {
    /// When the plugin may talk to the user. A library has no terminal to lend, so plugins
    /// always run non-interactively; `.always` is reported as a configuration error.
    public enum InteractiveMode: String, Sendable, Hashable {
        case never = "Never"
        case ifAvailable = "IfAvailable"
        case always = "Always"
    }

    /// One environment variable added to the plugin's environment.
    public struct EnvVar: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The API versions of `ExecCredential` this client speaks.
    public static let supportedAPIVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// Executable: an absolute path, or a name looked up in `PATH`. Relative paths with a
    /// slash were already resolved against the kubeconfig's folder when it was loaded.
    public var command: String
    public var args: [String]
    /// Added to (and overriding entries of) the calling process's environment.
    public var env: [EnvVar]
    /// `ExecCredential` API version requested from and expected back from the plugin.
    public var apiVersion: String
    /// Shown when the command cannot be found (how to install it).
    public var installHint: String?
    /// Whether `KUBERNETES_EXEC_INFO` carries `spec.cluster` (server, CA, …).
    public var provideClusterInfo: Bool
    public var interactiveMode: InteractiveMode
    /// The cluster's `client.authentication.k8s.io/exec` extension, passed as `spec.cluster.config`.
    public var clusterConfig: JSON?

    public init(command: String, args: [String] = [], env: [EnvVar] = [],
                apiVersion: String = "client.authentication.k8s.io/v1",
                installHint: String? = nil, provideClusterInfo: Bool = false,
                interactiveMode: InteractiveMode = .ifAvailable, clusterConfig: JSON? = nil) {
        self.command = command
        self.args = args
        self.env = env
        self.apiVersion = apiVersion
        self.installHint = installHint
        self.provideClusterInfo = provideClusterInfo
        self.interactiveMode = interactiveMode
        self.clusterConfig = clusterConfig
    }
}
