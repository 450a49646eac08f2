/// client-go's `rest.InClusterConfig`: the API server and service account a pod sees.
struct InClusterConfig {
    /// The service-account folder (token, ca.crt, namespace).
    var root: String
    var environment: ProcessEnvironment

    private var tokenPath: String { FilePath.join(root, "token") }

    /// True when the service environment variables and the token file are present.
    var isPossible: Bool {
        environment["KUBERNETES_SERVICE_HOST"].nonEmpty != nil
            && environment["KUBERNETES_SERVICE_PORT"].nonEmpty != nil
            && LocalFile.exists(tokenPath)
    }

    func load() throws(KubeError) -> RESTConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"].nonEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"].nonEmpty else {
            throw .config("not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
        }
        // The token is read now only to fail early; requests re-read it as the kubelet rotates it.
        do {
            _ = try LocalFile.contents(of: tokenPath)
        } catch {
            throw .config("cannot read the service account token \"\(tokenPath)\": \(error.reason)")
        }
        // Like client-go, a missing or unreadable CA leaves the system roots in place.
        let ca = try? LocalFile.contents(of: FilePath.join(root, "ca.crt"))
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        var config = RESTConfig(host: "https://\(bracketed):\(port)")
        config.tls.caData = (ca?.isEmpty ?? true) ? nil : ca
        config.credentials = .tokenFile(tokenPath)
        config.namespace = namespace()
        return config
    }

    /// `POD_NAMESPACE`, else the namespace file, else `default` (clientcmd's in-cluster rule).
    private func namespace() -> String {
        if let fromEnvironment = environment["POD_NAMESPACE"].nonEmpty { return fromEnvironment }
        if let text = try? LocalFile.text(of: FilePath.join(root, "namespace")) {
            let trimmed = text.trimmingWhitespace()
            if !trimmed.isEmpty { return trimmed }
        }
        return "default"
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
