import Foundation
import Testing
@testable import KubeClient

@Suite("Kubeconfig loading rules")
struct KubeconfigLoadingTests {
    private static let first = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: shared
          cluster: {server: "https://first.example:6443"}
        - name: only-first
          cluster: {server: "https://only-first.example"}
        contexts:
        - name: shared
          context: {cluster: shared, user: shared, namespace: first-ns}
        users:
        - name: shared
          user: {token: first-token}
        current-context: shared
        """

    private static let second = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: shared
          cluster: {server: "https://second.example:6443"}
        - name: only-second
          cluster: {server: "https://only-second.example"}
        contexts:
        - name: shared
          context: {cluster: shared, user: shared, namespace: second-ns}
        - name: second
          context: {cluster: only-second, user: second-user}
        users:
        - name: shared
          user: {token: second-token}
        - name: second-user
          user: {token: second-user-token}
        current-context: second
        """

    private func loader(_ variables: [String: String]) -> KubeconfigLoader {
        KubeconfigLoader(environment: ProcessEnvironment(variables))
    }

    @Test("$KUBECONFIG files merge: the first file that sets an entry or current-context wins, missing files are skipped")
    func mergeFirstWins() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a/config", Self.first)
        let b = try dir.write("b/config", Self.second)
        let env = ["KUBECONFIG": "\(dir.path)/missing:\(a)::\(b):\(a)", "HOME": dir.path]
        let merged = try loader(env).load(loader(env).source(explicitPath: nil))
        #expect(merged.currentContext == "shared")
        #expect(merged.clusters["shared"]?.server == "https://first.example:6443")
        #expect(merged.clusters["only-second"]?.server == "https://only-second.example")
        #expect(merged.clusters["only-first"] != nil)
        #expect(merged.contexts["shared"]?.namespace == "first-ns")
        #expect(merged.authInfos["shared"]?.token == "first-token")

        let config = try loader(env).restConfig(explicitPath: nil, overrides: KubeconfigOverrides())
        #expect(config.host == "https://first.example:6443")
        #expect(config.credentials == .bearerToken("first-token"))
        #expect(config.namespace == "first-ns")

        let second = try loader(env).restConfig(explicitPath: nil, overrides: KubeconfigOverrides(context: "second"))
        #expect(second.host == "https://only-second.example")
        #expect(second.credentials == .bearerToken("second-user-token"))
        #expect(second.namespace == "default")
    }

    @Test("current-context comes from the first file that sets it")
    func currentContextFromFirstSetter() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a", Self.first.replacingOccurrences(of: "current-context: shared", with: ""))
        let b = try dir.write("b", Self.second)
        let env = ["KUBECONFIG": "\(a):\(b)"]
        let merged = try loader(env).load(.environment([a, b]))
        #expect(merged.currentContext == "second")
        let config = try loader(env).restConfig(explicitPath: nil, overrides: KubeconfigOverrides())
        #expect(config.host == "https://only-second.example")
    }

    @Test("an explicit path wins over $KUBECONFIG, and ~/.kube/config is the default")
    func explicitThenEnvironmentThenHome() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a", Self.first)
        let b = try dir.write("b", Self.second)
        try dir.write("home/.kube/config", Self.second)
        let env = ["KUBECONFIG": b, "HOME": dir.path + "/home"]
        #expect(try loader(env).restConfig(explicitPath: a, overrides: KubeconfigOverrides()).host == "https://first.example:6443")
        #expect(try loader(env).restConfig(explicitPath: nil, overrides: KubeconfigOverrides()).host == "https://only-second.example")
        let home = ["HOME": dir.path + "/home"]
        #expect(loader(home).source(explicitPath: nil) == .home(dir.path + "/home/.kube/config"))
        #expect(try loader(home).restConfig(explicitPath: nil, overrides: KubeconfigOverrides()).host == "https://only-second.example")
    }

    @Test("overrides pick the cluster, user, namespace and server")
    func overrides() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a", Self.first)
        let base = loader([:])
        let overridden = try base.restConfig(explicitPath: a, overrides: KubeconfigOverrides(
            cluster: "only-first", namespace: "kube-system", masterURL: "https://override.example:443"))
        #expect(overridden.host == "https://override.example:443")
        #expect(overridden.namespace == "kube-system")
        #expect(overridden.credentials == .bearerToken("first-token"))
        let cluster = try base.restConfig(explicitPath: a, overrides: KubeconfigOverrides(cluster: "only-first"))
        #expect(cluster.host == "https://only-first.example")
    }

    @Test("a master URL without any kubeconfig gives a config with just that host")
    func masterURLOnly() throws {
        let dir = try ConfigTestDirectory()
        let env = ["HOME": dir.path]
        let config = try loader(env).restConfig(explicitPath: nil, overrides: KubeconfigOverrides(masterURL: "https://10.1.2.3:6443"))
        #expect(config.host == "https://10.1.2.3:6443")
        #expect(config.credentials == .none)
        #expect(config.namespace == "default")
        #expect(config.tls == TLSSettings())
    }

    @Test("a missing explicit file is an error naming it")
    func missingFile() throws {
        let message = configMessage { _ = try RESTConfig.load(path: "/nonexistent/kubeconfig") }
        #expect(message == "kubeconfig file \"/nonexistent/kubeconfig\" does not exist")
    }

    @Test("a YAML syntax error names the file and the line, and no secret")
    func yamlSyntaxError() throws {
        let dir = try ConfigTestDirectory()
        let path = try dir.write("broken", """
            apiVersion: v1
            users:
            - name: u
              user:
                token: very-secret-token
               password: [unclosed
            """)
        let message = try #require(configMessage { _ = try RESTConfig.load(path: path) })
        #expect(message.contains(path))
        #expect(message.contains("line 6"))
        #expect(!message.contains("very-secret-token"))
    }

    @Test("unknown context, cluster and user are errors naming them")
    func unknownNames() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a", Self.first)
        let context = configMessage { _ = try RESTConfig.load(path: a, context: "nope") }
        #expect(context == "context \"nope\" not found in the kubeconfig (available: shared)")
        let cluster = configMessage { _ = try RESTConfig.load(path: a, cluster: "ghost") }
        #expect(cluster == "cluster \"ghost\" (named by context \"shared\") not found in the kubeconfig")
        let user = configMessage { _ = try RESTConfig.load(path: a, user: "nobody") }
        #expect(user == "user \"nobody\" (named by context \"shared\") not found in the kubeconfig")
    }

    @Test("a context without a cluster, and a cluster without a server, are errors naming them")
    func missingClusterOrServer() throws {
        let noCluster = "contexts: [{name: x, context: {user: u}}]\ncurrent-context: x\nusers: [{name: u, user: {}}]"
        #expect(configMessage { _ = try Kubeconfig.parse(noCluster).restConfig() } == "context \"x\" names no cluster")
        let noServer = "clusters: [{name: c, cluster: {}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x"
        #expect(configMessage { _ = try Kubeconfig.parse(noServer).restConfig() } == "cluster \"c\" has no server defined")
        // The master URL fills in what the kubeconfig lacks.
        let config = try Kubeconfig.parse(noServer).restConfig(overrides: KubeconfigOverrides(masterURL: "https://m:6443"))
        #expect(config.host == "https://m:6443")
    }

    @Test("no current context is an error listing the contexts")
    func noCurrentContext() throws {
        let dir = try ConfigTestDirectory()
        let a = try dir.write("a", Self.second.replacingOccurrences(of: "current-context: second", with: ""))
        let message = configMessage { _ = try RESTConfig.load(path: a) }
        #expect(message == "no current context is set in the kubeconfig; choose a context (available: second, shared)")
    }

    @Test("an unreadable file is an error with the reason")
    func unreadableFile() throws {
        let dir = try ConfigTestDirectory()
        // A folder in place of the file: unreadable even for root, unlike a chmod 000 file.
        try FileManager.default.createDirectory(atPath: dir.path + "/folder", withIntermediateDirectories: true)
        let message = configMessage { _ = try RESTConfig.load(path: dir.path + "/folder") }
        #expect(message?.hasPrefix("cannot read kubeconfig file \"\(dir.path)/folder\": ") == true)
    }

    @Test("with no kubeconfig anywhere the error says where it looked")
    func nothingFound() throws {
        let dir = try ConfigTestDirectory()
        let message = try #require(configMessage {
            _ = try loader(["HOME": dir.path]).restConfig(explicitPath: nil, overrides: KubeconfigOverrides())
        })
        #expect(message.contains("\(dir.path)/.kube/config"))
        #expect(message.contains("KUBERNETES_SERVICE_HOST"))
    }

    @Test("a top level that is not a kubeconfig mapping is rejected")
    func wrongShape() throws {
        #expect(configMessage { _ = try Kubeconfig.parse("- a\n- b") }?.contains("expected a mapping") == true)
        #expect(configMessage { _ = try Kubeconfig.parse("clusters: {a: b}") }?.contains("clusters must be a list") == true)
        #expect(configMessage { _ = try Kubeconfig.parse("kind: Pod") }?.contains("expected \"Config\"") == true)
        #expect(configMessage {
            _ = try Kubeconfig.parse("clusters: [{name: a, cluster: {server: x}}, {name: a, cluster: {server: y}}]")
        }?.contains("duplicate cluster name \"a\"") == true)
        #expect(try Kubeconfig.parse("").isEmpty)
    }
}

@Suite("In-cluster config")
struct InClusterConfigTests {
    @Test("service host, port, token, CA and namespace files make the config")
    func inCluster() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("sa/token", "eyJhbGciOiJSUzI1NiJ9.first\n")
        try dir.write("sa/ca.crt", Fixtures.caPEM)
        try dir.write("sa/namespace", "payments\n")
        let env = ProcessEnvironment(["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        let config = try InClusterConfig(root: dir.path + "/sa", environment: env).load()
        #expect(config.host == "https://10.96.0.1:443")
        #expect(config.namespace == "payments")
        #expect(config.tls.caData == Array(Fixtures.caPEM.utf8))
        #expect(config.credentials == .tokenFile(dir.path + "/sa/token"))
        #expect(try CredentialProvider(config: config).current() == .bearer("eyJhbGciOiJSUzI1NiJ9.first"))
    }

    @Test("IPv6 hosts are bracketed, POD_NAMESPACE wins and a missing namespace file means default")
    func ipv6AndNamespace() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("token", "t")
        var env = ProcessEnvironment(["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"])
        let config = try InClusterConfig(root: dir.path, environment: env).load()
        #expect(config.host == "https://[fd00::1]:6443")
        #expect(config.namespace == "default")
        #expect(config.tls.caData == nil)
        env.variables["POD_NAMESPACE"] = "from-env"
        #expect(try InClusterConfig(root: dir.path, environment: env).load().namespace == "from-env")
    }

    @Test("outside a cluster the error names the missing variables; a missing token is an error")
    func notInCluster() throws {
        let dir = try ConfigTestDirectory()
        let outside = configMessage { _ = try InClusterConfig(root: dir.path, environment: ProcessEnvironment([:])).load() }
        #expect(outside?.contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT") == true)
        let env = ProcessEnvironment(["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"])
        let noToken = configMessage { _ = try InClusterConfig(root: dir.path, environment: env).load() }
        #expect(noToken?.contains("\(dir.path)/token") == true)
    }

    @Test("with no kubeconfig, loading falls back to the in-cluster config")
    func fallback() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("token", "t")
        let env = ProcessEnvironment(["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443", "HOME": dir.path])
        var loader = KubeconfigLoader(environment: env)
        loader.serviceAccountDirectory = dir.path
        let config = try loader.restConfig(explicitPath: nil, overrides: KubeconfigOverrides(namespace: "ns1"))
        #expect(config.host == "https://10.0.0.1:443")
        #expect(config.namespace == "ns1")
        #expect(config.credentials == .tokenFile(dir.path + "/token"))
        // An explicit kubeconfig never falls back.
        let empty = try dir.write("empty", "")
        #expect(configMessage { _ = try loader.restConfig(explicitPath: empty, overrides: KubeconfigOverrides()) }
            == "kubeconfig file \"\(empty)\" is empty")
        #expect(InClusterConfig(root: dir.path, environment: env).isPossible)
        #expect(!InClusterConfig(root: dir.path + "/none", environment: env).isPossible)
        #expect(!InClusterConfig(root: dir.path, environment: ProcessEnvironment([:])).isPossible)
    }

    @Test("the default User-Agent is kubeclient/VERSION (os/arch)")
    func userAgent() {
        #expect(UserAgent.default == "kubeclient/\(kubeclientVersion) (\(UserAgent.operatingSystem)/\(UserAgent.architecture))")
        #expect(UserAgent.build(product: "demo", version: "1.2") .hasPrefix("demo/1.2 ("))
        #expect(RESTConfig(host: "https://h").effectiveUserAgent == UserAgent.default)
        #if os(Linux) && arch(x86_64)
        #expect(UserAgent.default == "kubeclient/0.1.0 (linux/amd64)")
        #endif
    }
}
