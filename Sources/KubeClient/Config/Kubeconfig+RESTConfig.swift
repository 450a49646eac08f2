extension Kubeconfig {
    /// Builds the `RESTConfig` of a context, as client-go's `DirectClientConfig.ClientConfig` does:
    /// picks the context (the override, else current-context), its cluster and user (unless
    /// overridden), reads certificate files into memory, decides the credentials, and applies
    /// the namespace and server overrides.
    ///
    /// Static credentials (token, token file, basic auth, client certificate) take precedence
    /// over an exec plugin; a token together with basic auth is an error.
    public func restConfig(overrides: KubeconfigOverrides = KubeconfigOverrides()) throws(KubeError) -> RESTConfig {
        let contextName = overrides.context ?? currentContext.nonEmpty
        var context: Context?
        if let contextName {
            guard let found = contexts[contextName] else {
                throw .config("context \"\(contextName)\" not found in the kubeconfig\(Self.listing(contexts.keys))")
            }
            context = found
        }
        let clusterName = overrides.cluster ?? context.map(\.cluster).nonEmpty
        let userName = overrides.user ?? context.map(\.user).nonEmpty
        if context == nil && clusterName == nil {
            guard overrides.masterURL != nil else {
                if contexts.isEmpty && clusters.isEmpty {
                    throw .config("the kubeconfig defines no contexts or clusters, and no server was given")
                }
                throw .config("no current context is set in the kubeconfig; choose a context\(Self.listing(contexts.keys))")
            }
        }
        let owner = contextName.map { " (named by context \"\($0)\")" } ?? ""

        var cluster = Cluster()
        if let clusterName {
            guard let found = clusters[clusterName] else {
                throw .config("cluster \"\(clusterName)\"\(owner) not found in the kubeconfig")
            }
            cluster = found
        }
        // A context naming a user that is not defined connects without credentials, as
        // client-go's DirectClientConfig (getAuthInfo) and the official Python client do;
        // a user named explicitly (the override) must exist.
        var authInfo = AuthInfo()
        if let userName {
            if let found = authInfos[userName] {
                authInfo = found
            } else if overrides.user != nil {
                throw .config("user \"\(userName)\"\(owner) not found in the kubeconfig")
            }
        }
        let clusterLabel = clusterName.map { "cluster \"\($0)\"" } ?? "the cluster"
        let userLabel = userName.map { "user \"\($0)\"" } ?? "the user"

        // TLS
        var tls = TLSSettings(insecureSkipTLSVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName.nonEmpty)
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            tls.caData = data
        } else if let file = cluster.certificateAuthority {
            tls.caData = try Self.readFile(file, what: "certificate-authority", of: clusterLabel)
        }
        if tls.insecureSkipTLSVerify && tls.caData != nil {
            throw .config("\(clusterLabel) sets both insecure-skip-tls-verify and a certificate authority; use one")
        }
        if let data = authInfo.clientCertificateData, !data.isEmpty {
            tls.clientCertData = data
        } else if let file = authInfo.clientCertificate {
            tls.clientCertData = try Self.readFile(file, what: "client-certificate", of: userLabel)
        }
        if let data = authInfo.clientKeyData, !data.isEmpty {
            tls.clientKeyData = data
        } else if let file = authInfo.clientKey {
            tls.clientKeyData = try Self.readFile(file, what: "client-key", of: userLabel)
        }
        if (tls.clientCertData == nil) != (tls.clientKeyData == nil) {
            let (present, missing) = tls.clientCertData == nil ? ("key", "certificate") : ("certificate", "key")
            throw .config("\(userLabel) has a client \(present) but no client \(missing)")
        }

        // Server
        guard let server = overrides.masterURL ?? cluster.server.nonEmpty else {
            if clusterName == nil, let contextName {
                throw .config("context \"\(contextName)\" names no cluster")
            }
            throw .config("\(clusterLabel) has no server defined")
        }
        let host = Self.normalizedServer(server, tls: tls)

        if let proxy = cluster.proxyURL.nonEmpty {
            let scheme = proxy.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            guard proxy.contains("://"), ["http", "https", "socks5"].contains(scheme) else {
                throw .config("\(clusterLabel): proxy-url must be an http, https or socks5 URL")
            }
        }

        var config = RESTConfig(host: host)
        config.tls = tls
        config.proxyURL = cluster.proxyURL.nonEmpty
        config.disableCompression = cluster.disableCompression
        config.namespace = overrides.namespace ?? context?.namespace.nonEmpty ?? "default"
        config.credentials = try Self.credentials(authInfo, userLabel: userLabel, cluster: cluster,
                                                  hasClientCertificate: tls.clientCertData != nil)
        let impersonation = Impersonation(user: authInfo.impersonate.nonEmpty, uid: authInfo.impersonateUID.nonEmpty,
                                          groups: authInfo.impersonateGroups, extra: authInfo.impersonateUserExtra)
        config.impersonate = impersonation.isEmpty ? nil : impersonation
        return config
    }

    private static func credentials(_ info: AuthInfo, userLabel: String, cluster: Cluster,
                                    hasClientCertificate: Bool) throws(KubeError) -> Credentials {
        if let provider = info.authProvider {
            throw .config("\(userLabel) uses auth-provider \"\(provider)\", which is not supported; "
                + "use an exec credential plugin instead (for example gke-gcloud-auth-plugin on GKE, kubelogin on AKS)")
        }
        let hasToken = info.token != nil || info.tokenFile != nil
        let hasBasic = info.username.nonEmpty != nil || info.password.nonEmpty != nil
        if hasToken && hasBasic {
            throw .config("\(userLabel) has more than one authentication method (token and basic auth); only one is allowed")
        }
        if let file = info.tokenFile {
            // client-go reads the file up front unless a static token is also set; the file wins afterwards.
            if info.token == nil {
                _ = try readFile(file, what: "tokenFile", of: userLabel)
            }
            return .tokenFile(file)
        }
        if let token = info.token { return .bearerToken(token) }
        if hasBasic { return .basic(username: info.username ?? "", password: info.password ?? "") }
        // A static credential wins over an exec plugin (client-go skips the plugin then).
        if hasClientCertificate { return .none }
        if let exec = info.exec {
            return .exec(try execConfig(exec, userLabel: userLabel, cluster: cluster))
        }
        return .none
    }

    private static func execConfig(_ exec: Exec, userLabel: String, cluster: Cluster) throws(KubeError) -> ExecConfig {
        guard !exec.command.isEmpty else {
            throw .config("\(userLabel): exec plugin has no command")
        }
        guard ExecConfig.supportedAPIVersions.contains(exec.apiVersion) else {
            let given = exec.apiVersion.isEmpty ? "no apiVersion" : "apiVersion \"\(exec.apiVersion)\""
            throw .config("\(userLabel): exec plugin has \(given); supported are "
                + ExecConfig.supportedAPIVersions.joined(separator: " and "))
        }
        let mode: ExecConfig.InteractiveMode
        if let written = exec.interactiveMode {
            guard let parsed = ExecConfig.InteractiveMode(rawValue: written) else {
                throw .config("\(userLabel): exec interactiveMode \"\(written)\" is not one of Never, IfAvailable, Always")
            }
            mode = parsed
        } else if exec.apiVersion == "client.authentication.k8s.io/v1beta1" {
            mode = .ifAvailable  // the v1beta1 default
        } else {
            throw .config("\(userLabel): interactiveMode must be specified to use an exec plugin with \(exec.apiVersion)")
        }
        return ExecConfig(command: exec.command, args: exec.args, env: exec.env, apiVersion: exec.apiVersion,
                          installHint: exec.installHint, provideClusterInfo: exec.provideClusterInfo,
                          interactiveMode: mode, clusterConfig: cluster.execExtension)
    }

    /// Adds a scheme to a bare `host:port`: https when TLS material or insecure is configured,
    /// else http (client-go's `DefaultServerURL`).
    static func normalizedServer(_ server: String, tls: TLSSettings) -> String {
        if server.contains("://") { return server }
        let secure = tls.caData != nil || tls.clientCertData != nil || tls.insecureSkipTLSVerify
        return (secure ? "https://" : "http://") + server
    }

    static func readFile(_ path: String, what: String, of owner: String) throws(KubeError) -> [UInt8] {
        do {
            return try LocalFile.contents(of: path)
        } catch {
            throw .config("cannot read \(what) \"\(path)\" of \(owner): \(error.reason)")
        }
    }

    private static func listing(_ names: Dictionary<String, Context>.Keys) -> String {
        names.isEmpty ? " (it defines none)" : " (available: \(names.sorted().joined(separator: ", ")))"
    }
}
