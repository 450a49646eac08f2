import FoundationEssentials
import KubeCore
import Logging

/// One run of an exec credential plugin: builds `KUBERNETES_EXEC_INFO`, spawns the command,
/// and checks the `ExecCredential` it prints (client-go's `exec.Authenticator.refreshCredsLocked`).
struct ExecPlugin: Sendable {
    /// What a successful run produced.
    struct Result: Sendable {
        var credential: Credential
        /// `status.expirationTimestamp`; nil means valid until the server rejects it.
        var expiry: Date?
    }

    var config: ExecConfig
    /// `spec.cluster` when the plugin asked for cluster info.
    var cluster: JSON?

    init(config: ExecConfig, restConfig: RESTConfig?) {
        self.config = config
        if config.provideClusterInfo, let restConfig {
            cluster = Self.clusterInfo(restConfig, extension: config.clusterConfig)
        }
    }

    /// What the plugin is told through `KUBERNETES_EXEC_INFO`. Plugins always run without a
    /// terminal (stdin is /dev/null, stderr is captured), so `interactive` is false.
    var execInfo: JSON {
        var spec: JSON = ["interactive": false]
        if let cluster { spec["cluster"] = cluster }
        return ["apiVersion": .string(config.apiVersion), "kind": "ExecCredential", "spec": spec]
    }

    private var name: String { "exec plugin \"\(TerminalSafeText.sanitized(config.command))\"" }

    /// Where the plugin's stderr goes: like client-go, which passes it through to the
    /// process's stderr, it is shown to the operator but never put into an error, since a
    /// plugin may print secrets there and errors travel (informer retry warnings, exceptions).
    static let logger = Logger(label: "kubeclient.exec")

    /// Runs the plugin until it exits, `deadline` (a `MonotonicClock` instant in nanoseconds)
    /// passes, or `shouldAbort` answers true; in the last two cases the plugin is killed.
    func run(deadline: UInt64? = nil, shouldAbort: () -> Bool = { false }) throws(KubeError) -> Result {
        if config.interactiveMode == .always {
            throw .config("\(name) requires interactiveMode Always, but kubeclient runs plugins without a terminal")
        }
        var variables = ProcessEnvironment.currentVariables()
        for variable in config.env { variables[variable.name] = variable.value }
        variables["KUBERNETES_EXEC_INFO"] = execInfo.serialized()
        let environment = variables.map { "\($0.key)=\($0.value)" }

        let output: PluginProcessOutput
        do {
            output = try PluginProcess.run(config.command, arguments: config.args, environment: environment,
                                           deadline: deadline, shouldAbort: shouldAbort)
        } catch {
            throw .config(spawnFailure(error))
        }
        switch output.interrupted {
        case .deadline:
            throw .transport(TransportError(kind: .timeout, message: "\(name) did not finish in time and was killed"))
        case .aborted:
            throw .transport(TransportError(kind: .cancelled, message: "\(name) was stopped: the request was cancelled or the client closed"))
        case nil:
            break
        }
        if output.signal != nil || output.exitCode != 0 {
            logStderr(output.stderr)
        }
        if let signal = output.signal {
            throw .config("\(name) was killed by signal \(signal)")
        }
        if let code = output.exitCode, code != 0 {
            throw .config("\(name) failed with exit code \(code)")
        }
        return try parse(output.stdout)
    }

    private func spawnFailure(_ error: LocalFileError) -> String {
        if error.isNotFound {
            var message = "\(name): executable \"\(TerminalSafeText.sanitized(config.command))\" was not found"
            if let hint = config.installHint?.trimmingWhitespace(), !hint.isEmpty {
                message += ". \(TerminalSafeText.sanitized(hint))"
            }
            return message
        }
        if error.isPermissionDenied { return "\(name) is not executable (permission denied)" }
        return "\(name) cannot be started: \(error.reason)"
    }

    /// Parses and checks the plugin's `ExecCredential`. Messages never include the credential.
    func parse(_ stdout: [UInt8]) throws(KubeError) -> Result {
        let response: JSON
        do {
            response = try JSON.parse(bytes: stdout)
        } catch {
            throw .config("\(name) did not print an ExecCredential: \(error.description)")
        }
        guard response.objectValue != nil, response["kind"]?.stringValue == "ExecCredential" else {
            throw .config("\(name) did not print an ExecCredential (kind must be ExecCredential)")
        }
        let version = response["apiVersion"]?.stringValue ?? ""
        guard version == config.apiVersion else {
            throw .config("\(name) is configured for \(config.apiVersion) but returned apiVersion \"\(version)\"")
        }
        guard let status = response["status"], status.objectValue != nil else {
            throw .config("\(name) returned an ExecCredential without status")
        }
        var expiry: Date?
        if let text = status["expirationTimestamp"]?.stringValue, !text.isEmpty {
            guard let date = RFC3339.parse(text) else {
                throw .config("\(name) returned an invalid expirationTimestamp \"\(text)\"")
            }
            expiry = date
        }
        let token = status["token"]?.stringValue ?? ""
        let cert = status["clientCertificateData"]?.stringValue ?? ""
        let key = status["clientKeyData"]?.stringValue ?? ""
        if cert.isEmpty != key.isEmpty {
            throw .config("\(name) returned \(cert.isEmpty ? "clientKeyData without clientCertificateData" : "clientCertificateData without clientKeyData")")
        }
        // With both a token and a certificate, the token is used (it identifies the user by itself).
        if !token.isEmpty { return Result(credential: .bearer(token), expiry: expiry) }
        if !cert.isEmpty {
            return Result(credential: .clientCertificate(certPEM: Array(cert.utf8), keyPEM: Array(key.utf8)), expiry: expiry)
        }
        throw .config("\(name) returned neither a token nor a client certificate and key")
    }

    /// `spec.cluster` of `KUBERNETES_EXEC_INFO` (client.authentication.k8s.io Cluster).
    static func clusterInfo(_ config: RESTConfig, extension clusterConfig: JSON?) -> JSON {
        var cluster: JSON = ["server": .string(config.host)]
        if let name = config.tls.serverName { cluster["tls-server-name"] = .string(name) }
        if config.tls.insecureSkipTLSVerify { cluster["insecure-skip-tls-verify"] = true }
        if let ca = config.tls.caData { cluster["certificate-authority-data"] = .string(Base64.encode(ca)) }
        if let proxy = config.proxyURL { cluster["proxy-url"] = .string(proxy) }
        if let clusterConfig { cluster["config"] = clusterConfig }
        return cluster
    }

    /// Logs what a failed plugin wrote to stderr (bounded, control characters escaped).
    private func logStderr(_ stderr: [UInt8]) {
        var text = String(decoding: stderr, as: UTF8.self).trimmingWhitespace()
        if text.isEmpty { return }
        if text.count > 2_000 { text = String(text.suffix(2_000)) }
        Self.logger.warning("\(name) wrote to stderr: \(TerminalSafeText.sanitized(text))")
    }
}
