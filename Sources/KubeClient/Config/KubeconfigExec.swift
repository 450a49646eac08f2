extension Kubeconfig {
    /// A `users[].user.exec` entry as written in the file. Turned into an `ExecConfig` (and
    /// validated) only when the user is chosen, as client-go does.
    public struct Exec: Sendable, Hashable {
        /// `command`; a relative path containing a slash is resolved against the file's folder.
        public var command: String
        public var args: [String]
        public var env: [ExecConfig.EnvVar]
        /// `apiVersion` of the ExecCredential exchanged.
        public var apiVersion: String
        public var installHint: String?
        public var provideClusterInfo: Bool
        /// `interactiveMode` as written (`Never`, `IfAvailable`, `Always`), nil when absent.
        public var interactiveMode: String?

        public init(command: String, args: [String] = [], env: [ExecConfig.EnvVar] = [], apiVersion: String,
                    installHint: String? = nil, provideClusterInfo: Bool = false, interactiveMode: String? = nil) {
            self.command = command
            self.args = args
            self.env = env
            self.apiVersion = apiVersion
            self.installHint = installHint
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
        }
    }
}
