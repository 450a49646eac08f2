import Foundation
import KubeCore
import Testing
@testable import KubeClient

@Suite("Credential provider")
struct CredentialProviderTests {
    /// A folder holding the test plugin and a kubeconfig that runs it.
    private struct PluginSetup {
        let dir: ConfigTestDirectory
        let config: RESTConfig

        init(apiVersion: String = "client.authentication.k8s.io/v1beta1", mode: String = "token", expiry: String = "",
             command: String = "./plugin.sh", provideClusterInfo: Bool = false) throws {
            dir = try ConfigTestDirectory()
            try dir.write("kube/plugin.sh", Fixtures.plugin, executable: true)
            let path = try dir.write("kube/config", Fixtures.pluginUser(
                dir: dir.path, apiVersion: apiVersion, mode: mode, expiry: expiry, command: command,
                provideClusterInfo: provideClusterInfo))
            config = try RESTConfig.load(path: path)
        }

        var runs: Int { Int((try? dir.read("count"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? -1 }
    }

    @Test("the plugin runs with its args and env, and its token is cached until it expires")
    func cachedUntilExpiry() throws {
        let setup = try PluginSetup(expiry: "2030-01-01T00:00:00Z")
        let clock = ManualRuntimeClock(wallSeconds: rfc3339("2029-12-31T23:00:00Z").timeIntervalSince1970)
        let provider = CredentialProvider(config: setup.config, clock: clock)

        #expect(try provider.current() == .bearer("token-1"))
        #expect(try provider.current() == .bearer("token-1"))
        #expect(setup.runs == 1)
        #expect(try setup.dir.read("args") == "eks\nget-token\n--cluster-name\nprod\n")
        #expect(try setup.dir.read("profile") == "staging")

        clock.step(.seconds(3599))   // 2029-12-31T23:59:59Z
        #expect(try provider.current() == .bearer("token-1"))
        clock.step(.seconds(1))      // 2030-01-01T00:00:00Z
        #expect(try provider.current() == .bearer("token-2"))
        #expect(setup.runs == 2)
    }

    @Test("invalidate after a 401 makes the next call run the plugin again")
    func invalidateRefetches() throws {
        let setup = try PluginSetup()  // no expirationTimestamp: valid until rejected
        let provider = CredentialProvider(config: setup.config, clock: ManualRuntimeClock(wallSeconds: Date().timeIntervalSince1970))
        #expect(try provider.current() == .bearer("token-1"))
        #expect(try provider.current() == .bearer("token-1"))
        provider.invalidate()
        #expect(try provider.current() == .bearer("token-2"))
        #expect(setup.runs == 2)
        #expect(provider.canRefresh)
    }

    @Test("invalidate(ifCurrent:) ignores a credential that was already replaced")
    func invalidateIfCurrent() throws {
        let setup = try PluginSetup()
        let provider = CredentialProvider(config: setup.config, clock: ManualRuntimeClock(wallSeconds: Date().timeIntervalSince1970))
        let first = try provider.current()
        provider.invalidate(ifCurrent: first)
        #expect(try provider.current() == .bearer("token-2"))
        // A second request that was rejected with token-1 must not throw token-2 away.
        provider.invalidate(ifCurrent: first)
        #expect(try provider.current() == .bearer("token-2"))
        #expect(setup.runs == 2)
    }

    @Test("KUBERNETES_EXEC_INFO carries the apiVersion, interactive false and, when asked, the cluster")
    func execInfo() throws {
        let setup = try PluginSetup(apiVersion: "client.authentication.k8s.io/v1", provideClusterInfo: true)
        _ = try CredentialProvider(config: setup.config).current()
        let info = try JSON.parse(setup.dir.read("exec-info.json"))
        #expect(info["apiVersion"] == .string("client.authentication.k8s.io/v1"))
        #expect(info["kind"] == .string("ExecCredential"))
        #expect(info[path: ["spec", "interactive"]] == .bool(false))
        #expect(info[path: ["spec", "cluster", "server"]] == .string("https://127.0.0.1:6443"))
        #expect(info[path: ["spec", "cluster", "tls-server-name"]] == .string("kubernetes.default"))
        #expect(info[path: ["spec", "cluster", "certificate-authority-data"]] == .string(Fixtures.base64(Fixtures.caPEM)))

        let without = try PluginSetup()
        _ = try CredentialProvider(config: without.config).current()
        let plain = try JSON.parse(without.dir.read("exec-info.json"))
        #expect(plain[path: ["spec", "cluster"]] == nil)
        #expect(plain["apiVersion"] == .string("client.authentication.k8s.io/v1beta1"))
    }

    @Test("a plugin can return a client certificate and key")
    func clientCertificateResult() throws {
        let setup = try PluginSetup(apiVersion: "client.authentication.k8s.io/v1", mode: "cert")
        let credential = try CredentialProvider(config: setup.config).current()
        #expect(credential == .clientCertificate(
            certPEM: Array("-----BEGIN CERTIFICATE-----\nCERT1\n-----END CERTIFICATE-----\n".utf8),
            keyPEM: Array("-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n".utf8)))
    }

    @Test("a missing command reports the installHint")
    func missingCommand() throws {
        let setup = try PluginSetup(command: "kubeclient-test-no-such-plugin")
        let message = try #require(configMessage { _ = try CredentialProvider(config: setup.config).current() })
        #expect(message == "exec plugin \"kubeclient-test-no-such-plugin\": executable \"kubeclient-test-no-such-plugin\" was not found. Install the test plugin.")
    }

    @Test("the GKE plugin's multi-line installHint is shown when gke-gcloud-auth-plugin is missing")
    func gkeInstallHint() throws {
        let text = Fixtures.gke(command: "kubeclient-test-gke-gcloud-auth-plugin")
        let provider = CredentialProvider(config: try Kubeconfig.parse(text).restConfig())
        let message = try #require(configMessage { _ = try provider.current() })
        #expect(message.contains("was not found. Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/"))
    }

    @Test("a failing plugin's error carries its exit code but not its stderr, which may hold secrets")
    func failingPlugin() throws {
        let setup = try PluginSetup(mode: "fail")
        let message = try #require(configMessage { _ = try CredentialProvider(config: setup.config).current() })
        #expect(message == "exec plugin \"\(setup.dir.path)/kube/plugin.sh\" failed with exit code 3")
        #expect(!message.contains("AccessDenied"))
    }

    @Test("a plugin answering with another apiVersion is rejected")
    func apiVersionMismatch() throws {
        let plugin = ExecPlugin(config: ExecConfig(command: "x", apiVersion: "client.authentication.k8s.io/v1"), restConfig: nil)
        let output = #"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"secret-tok"}}"#
        let message = try #require(configMessage { _ = try plugin.parse(Array(output.utf8)) })
        #expect(message.contains("returned apiVersion \"client.authentication.k8s.io/v1beta1\""))
        #expect(!message.contains("secret-tok"))
        let empty = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#
        #expect(configMessage { _ = try plugin.parse(Array(empty.utf8)) }?.contains("neither a token nor a client certificate") == true)
        let halfCert = #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"c"}}"#
        #expect(configMessage { _ = try plugin.parse(Array(halfCert.utf8)) }?.contains("without clientKeyData") == true)
        #expect(configMessage { _ = try plugin.parse(Array("not json".utf8)) }?.contains("did not print an ExecCredential") == true)
    }

    @Test("interactiveMode Always is refused because plugins run without a terminal")
    func interactiveAlways() throws {
        var exec = ExecConfig(command: "/bin/true")
        exec.interactiveMode = .always
        let provider = CredentialProvider(config: RESTConfig(host: "https://h", credentials: .exec(exec)))
        #expect(configMessage { _ = try provider.current() }?.contains("interactiveMode Always") == true)
    }

    @Test("concurrent callers share one plugin run")
    func singleFlight() throws {
        let setup = try PluginSetup()
        let provider = CredentialProvider(config: setup.config)
        let results = Locked<[Credential]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if let credential = try? provider.current() {
                results.withLock { $0.append(credential) }
            }
        }
        #expect(results.withLock { $0 } == Array(repeating: .bearer("token-1"), count: 16))
        #expect(setup.runs == 1)
    }

    @Test("a token file is re-read when it rotates, and the last good token survives a failed read")
    func tokenFileRotation() throws {
        let dir = try ConfigTestDirectory()
        let path = try dir.write("token", "first\n")
        let clock = ManualRuntimeClock(wallSeconds: Date().timeIntervalSince1970)
        let provider = CredentialProvider(config: RESTConfig(host: "https://h", credentials: .tokenFile(path)), clock: clock)
        #expect(try provider.current() == .bearer("first"))

        // Rotation the way the kubelet does it: a new file swapped in (new inode).
        try dir.write("token.new", "second")
        _ = rename(path, path + ".old")
        _ = rename(dir.path + "/token.new", path)
        #expect(try provider.current() == .bearer("second"))

        // Same-size in-place rewrite within the same mtime tick is caught by the one-minute re-read.
        try "third!".write(toFile: path, atomically: false, encoding: .utf8)
        clock.step(.seconds(61))
        #expect(try provider.current() == .bearer("third!"))

        try FileManager.default.removeItem(atPath: path)
        provider.invalidate()
        #expect(try provider.current() == .bearer("third!"))

        let fresh = CredentialProvider(config: RESTConfig(host: "https://h", credentials: .tokenFile(path)))
        #expect(configMessage { _ = try fresh.current() }?.contains("cannot read token file \"\(path)\"") == true)
    }

    @Test("fixed credentials come back unchanged and cannot refresh")
    func fixedCredentials() throws {
        let bearer = CredentialProvider(config: RESTConfig(host: "https://h", credentials: .bearerToken("t")))
        #expect(try bearer.current() == .bearer("t"))
        #expect(!bearer.canRefresh)
        #expect(try CredentialProvider(config: RESTConfig(host: "https://h")).current() == .none)
    }
}
