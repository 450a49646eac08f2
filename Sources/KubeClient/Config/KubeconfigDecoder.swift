import KubeCore

/// Turns kubeconfig YAML into a `Kubeconfig`: checks types, decodes base64 data and
/// resolves relative paths. Messages name the file and entry, never a value.
struct KubeconfigDecoder {
    /// Absolute path of the file, for messages; nil for text not from a file.
    var source: String?
    /// Folder that relative paths in the file are resolved against.
    var baseDirectory: String

    private var prefix: String { source.map { "kubeconfig \"\($0)\"" } ?? "kubeconfig" }

    func decode(_ text: String) throws(KubeError) -> Kubeconfig {
        let root: JSON
        do {
            root = try YAML.parse(text)
        } catch {
            throw .config("\(prefix): \(error.description)")
        }
        if root.isNull { return Kubeconfig() }
        guard let object = root.objectValue else {
            throw .config("\(prefix): expected a mapping (apiVersion: v1, kind: Config) at the top level")
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != "Config" {
            throw .config("\(prefix): kind is \"\(kind)\", expected \"Config\"")
        }
        var config = Kubeconfig()
        config.currentContext = try string(object, "current-context", "top level")
        if config.currentContext == "" { config.currentContext = nil }
        config.clusters = try namedList(object, list: "clusters", item: "cluster", body: "cluster", decodeCluster)
        config.authInfos = try namedList(object, list: "users", item: "user", body: "user", decodeAuthInfo)
        config.contexts = try namedList(object, list: "contexts", item: "context", body: "context", decodeContext)
        try checkExtensions(object["extensions"], "top level")
        return config
    }

    // MARK: entries

    private func namedList<T>(_ object: [String: JSON], list: String, item: String, body: String,
                              _ decodeBody: (_ body: [String: JSON], _ place: String) throws(KubeError) -> T)
        throws(KubeError) -> [String: T] {
        guard let value = object[list], !value.isNull else { return [:] }
        guard let entries = value.arrayValue else {
            throw .config("\(prefix): \(list) must be a list")
        }
        var result: [String: T] = [:]
        for (index, entry) in entries.enumerated() {
            guard let fields = entry.objectValue else {
                throw .config("\(prefix): \(list)[\(index)] must be a mapping")
            }
            guard let name = try string(fields, "name", "\(list)[\(index)]"), !name.isEmpty else {
                throw .config("\(prefix): \(list)[\(index)] has no name")
            }
            let place = "\(item) \"\(name)\""
            if result[name] != nil {
                throw .config("\(prefix): duplicate \(item) name \"\(name)\" in \(list)")
            }
            let bodyFields: [String: JSON]
            switch fields[body] {
            case .none, .some(.null): bodyFields = [:]
            case .some(.object(let content)): bodyFields = content
            case .some: throw .config("\(prefix): \(place): \(body) must be a mapping")
            }
            result[name] = try decodeBody(bodyFields, place)
        }
        return result
    }

    private func decodeCluster(_ fields: [String: JSON], _ place: String) throws(KubeError) -> Kubeconfig.Cluster {
        var cluster = Kubeconfig.Cluster()
        cluster.server = try string(fields, "server", place)
        cluster.certificateAuthority = try path(fields, "certificate-authority", place)
        cluster.certificateAuthorityData = try data(fields, "certificate-authority-data", place)
        cluster.insecureSkipTLSVerify = try bool(fields, "insecure-skip-tls-verify", place) ?? false
        cluster.tlsServerName = try string(fields, "tls-server-name", place)
        cluster.proxyURL = try string(fields, "proxy-url", place)
        cluster.disableCompression = try bool(fields, "disable-compression", place) ?? false
        try checkExtensions(fields["extensions"], place)
        if let extensions = fields["extensions"]?.arrayValue {
            for case .object(let named) in extensions where named["name"]?.stringValue == "client.authentication.k8s.io/exec" {
                cluster.execExtension = named["extension"]
            }
        }
        return cluster
    }

    /// An `extensions` list is a named list like clusters: each entry needs a unique name.
    private func checkExtensions(_ value: JSON?, _ place: String) throws(KubeError) {
        guard let value, !value.isNull else { return }
        guard let entries = value.arrayValue else { throw .config("\(prefix): \(place): extensions must be a list") }
        var seen: Set<String> = []
        for (index, entry) in entries.enumerated() {
            guard let name = entry["name"]?.stringValue, !name.isEmpty else {
                throw .config("\(prefix): \(place): extensions[\(index)] has no name")
            }
            guard seen.insert(name).inserted else {
                throw .config("\(prefix): \(place): duplicate extension name \"\(TerminalSafeText.sanitized(name))\" in extensions")
            }
        }
    }

    private func decodeContext(_ fields: [String: JSON], _ place: String) throws(KubeError) -> Kubeconfig.Context {
        try checkExtensions(fields["extensions"], place)
        return Kubeconfig.Context(cluster: try string(fields, "cluster", place) ?? "",
                           user: try string(fields, "user", place) ?? "",
                           namespace: try string(fields, "namespace", place).flatMap { $0.isEmpty ? nil : $0 })
    }

    private func decodeAuthInfo(_ fields: [String: JSON], _ place: String) throws(KubeError) -> Kubeconfig.AuthInfo {
        var info = Kubeconfig.AuthInfo()
        info.clientCertificate = try path(fields, "client-certificate", place)
        info.clientCertificateData = try data(fields, "client-certificate-data", place)
        info.clientKey = try path(fields, "client-key", place)
        info.clientKeyData = try data(fields, "client-key-data", place)
        info.token = try string(fields, "token", place).flatMap { $0.isEmpty ? nil : $0 }
        info.tokenFile = try path(fields, "tokenFile", place)
        info.impersonate = try string(fields, "as", place)
        info.impersonateUID = try string(fields, "as-uid", place)
        info.impersonateGroups = try stringList(fields, "as-groups", place) ?? []
        info.impersonateUserExtra = try stringListMap(fields, "as-user-extra", place)
        info.username = try string(fields, "username", place)
        info.password = try string(fields, "password", place)
        // client-go's validateAuthInfo: a file and inline data for the same thing is ambiguous,
        // and impersonating groups, extra fields or a UID needs a user to impersonate.
        if info.clientCertificate != nil, info.clientCertificateData != nil {
            throw .config("\(prefix): \(place): client-certificate and client-certificate-data are both specified; use one")
        }
        if info.clientKey != nil, info.clientKeyData != nil {
            throw .config("\(prefix): \(place): client-key and client-key-data are both specified; use one")
        }
        if (info.impersonate ?? "").isEmpty {
            if !info.impersonateGroups.isEmpty {
                throw .config("\(prefix): \(place): as-groups is set without a user to impersonate (as)")
            }
            if !info.impersonateUserExtra.isEmpty {
                throw .config("\(prefix): \(place): as-user-extra is set without a user to impersonate (as)")
            }
            if !(info.impersonateUID ?? "").isEmpty {
                throw .config("\(prefix): \(place): as-uid is set without a user to impersonate (as)")
            }
        }
        try checkExtensions(fields["extensions"], place)
        if let provider = fields["auth-provider"], !provider.isNull {
            info.authProvider = provider["name"]?.stringValue ?? ""
        }
        if let exec = fields["exec"], !exec.isNull {
            guard let execFields = exec.objectValue else {
                throw .config("\(prefix): \(place): exec must be a mapping")
            }
            info.exec = try decodeExec(execFields, "\(place) exec")
        }
        return info
    }

    private func decodeExec(_ fields: [String: JSON], _ place: String) throws(KubeError) -> Kubeconfig.Exec {
        var command = try string(fields, "command", place) ?? ""
        // Only a command with a slash is a path; a bare name is looked up in PATH (client-go).
        if command.contains("/") { command = FilePath.resolve(command, against: baseDirectory) }
        var env: [ExecConfig.EnvVar] = []
        if let list = fields["env"], !list.isNull {
            guard let entries = list.arrayValue else { throw .config("\(prefix): \(place): env must be a list") }
            for (index, entry) in entries.enumerated() {
                guard let variable = entry.objectValue,
                      let name = try string(variable, "name", "\(place) env[\(index)]"), !name.isEmpty else {
                    throw .config("\(prefix): \(place): env[\(index)] needs a name")
                }
                env.append(ExecConfig.EnvVar(name: name, value: try string(variable, "value", "\(place) env[\(index)]") ?? ""))
            }
        }
        return Kubeconfig.Exec(command: command,
                               args: try stringList(fields, "args", place) ?? [],
                               env: env,
                               apiVersion: try string(fields, "apiVersion", place) ?? "",
                               installHint: try string(fields, "installHint", place),
                               provideClusterInfo: try bool(fields, "provideClusterInfo", place) ?? false,
                               interactiveMode: try string(fields, "interactiveMode", place).flatMap { $0.isEmpty ? nil : $0 })
    }

    // MARK: fields

    private func string(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> String? {
        switch fields[key] {
        case .none, .some(.null): return nil
        case .some(.string(let value)): return value
        case .some: throw .config("\(prefix): \(place): \(key) must be a string")
        }
    }

    private func bool(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> Bool? {
        switch fields[key] {
        case .none, .some(.null): return nil
        case .some(.bool(let value)): return value
        case .some: throw .config("\(prefix): \(place): \(key) must be true or false")
        }
    }

    private func path(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> String? {
        guard let value = try string(fields, key, place), !value.isEmpty else { return nil }
        return FilePath.resolve(value, against: baseDirectory)
    }

    private func data(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> [UInt8]? {
        guard let text = try string(fields, key, place), !text.isEmpty else { return nil }
        guard let bytes = Base64.decode(text) else {
            throw .config("\(prefix): \(place): \(key) is not valid base64")
        }
        return bytes
    }

    private func stringList(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> [String]? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let items = value.arrayValue else { throw .config("\(prefix): \(place): \(key) must be a list of strings") }
        var result: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw .config("\(prefix): \(place): \(key) must be a list of strings") }
            result.append(text)
        }
        return result
    }

    private func stringListMap(_ fields: [String: JSON], _ key: String, _ place: String) throws(KubeError) -> [String: [String]] {
        guard let value = fields[key], !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw .config("\(prefix): \(place): \(key) must be a mapping") }
        var result: [String: [String]] = [:]
        for (name, _) in object {
            result[name] = try stringList(object, name, "\(place) \(key)") ?? []
        }
        return result
    }
}
