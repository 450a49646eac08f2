import Foundation
import Testing
@testable import KubeClient
import KubeCore

@Suite("Kubeconfig parsing")
struct KubeconfigParsingTests {
    @Test("a kind cluster's inline certificate data is base64-decoded into the TLS settings")
    func kindCluster() throws {
        let dir = try ConfigTestDirectory()
        let path = try dir.write("kind/config", Fixtures.kind)
        let config = try RESTConfig.load(path: path)
        #expect(config.host == "https://127.0.0.1:39417")
        #expect(config.namespace == "default")
        #expect(config.tls.caData == Array(Fixtures.caPEM.utf8))
        #expect(config.tls.clientCertData == Array(Fixtures.certPEM.utf8))
        #expect(config.tls.clientKeyData == Array(Fixtures.keyPEM.utf8))
        #expect(config.tls.insecureSkipTLSVerify == false)
        #expect(config.credentials == .none)
        #expect(config.impersonate == nil)
        #expect(config.qps == RESTConfig.defaultQPS && config.burst == RESTConfig.defaultBurst)
    }

    @Test("minikube's relative certificate paths resolve against the kubeconfig's folder")
    func minikubeRelativePaths() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("home/.minikube/ca.crt", Fixtures.caPEM)
        try dir.write("home/.minikube/profiles/minikube/client.crt", Fixtures.certPEM)
        try dir.write("home/.minikube/profiles/minikube/client.key", Fixtures.keyPEM)
        let path = try dir.write("home/config", Fixtures.minikube)

        let kubeconfig = try Kubeconfig.load(file: path)
        #expect(kubeconfig.clusters["minikube"]?.certificateAuthority == dir.path + "/home/.minikube/ca.crt")
        #expect(kubeconfig.authInfos["minikube"]?.clientKey == dir.path + "/home/.minikube/profiles/minikube/client.key")

        let config = try kubeconfig.restConfig()
        #expect(config.host == "https://192.168.49.2:8443")
        #expect(config.tls.caData == Array(Fixtures.caPEM.utf8))
        #expect(config.tls.clientCertData == Array(Fixtures.certPEM.utf8))
        #expect(config.tls.clientKeyData == Array(Fixtures.keyPEM.utf8))
    }

    @Test("a missing certificate file is an error naming the file and the user")
    func missingCertificateFile() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("home/.minikube/ca.crt", Fixtures.caPEM)
        let path = try dir.write("home/config", Fixtures.minikube)
        let message = configMessage { _ = try RESTConfig.load(path: path) }
        #expect(message?.contains("client-certificate") == true)
        #expect(message?.contains("client.crt") == true)
        #expect(message?.contains("user \"minikube\"") == true)
    }

    @Test("an EKS exec plugin (v1beta1) keeps its args, env and defaults interactiveMode")
    func eksExecPlugin() throws {
        let config = try Kubeconfig.parse(Fixtures.eks()).restConfig()
        #expect(config.host == "https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com")
        guard case .exec(let exec) = config.credentials else {
            Issue.record("expected exec credentials, got \(config.credentials)")
            return
        }
        #expect(exec.command == "aws")
        #expect(exec.args == ["--region", "us-west-2", "eks", "get-token", "--cluster-name", "prod", "--output", "json"])
        #expect(exec.env == [ExecConfig.EnvVar(name: "AWS_PROFILE", value: "prod")])
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
        #expect(exec.interactiveMode == .ifAvailable)
        #expect(exec.provideClusterInfo == false)
    }

    @Test("a GKE exec plugin (v1) keeps its installHint and provideClusterInfo")
    func gkeExecPlugin() throws {
        let config = try Kubeconfig.parse(Fixtures.gke()).restConfig()
        #expect(config.host == "https://34.123.45.67")
        guard case .exec(let exec) = config.credentials else {
            Issue.record("expected exec credentials, got \(config.credentials)")
            return
        }
        #expect(exec.command == "gke-gcloud-auth-plugin")
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1")
        #expect(exec.provideClusterInfo)
        #expect(exec.installHint?.hasPrefix("Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com") == true)
    }

    @Test("a v1 exec plugin without interactiveMode is rejected, as client-go does")
    func v1RequiresInteractiveMode() throws {
        let text = Fixtures.gke().replacingOccurrences(of: "      interactiveMode: IfAvailable\n", with: "")
        let message = configMessage { _ = try Kubeconfig.parse(text).restConfig() }
        #expect(message?.contains("interactiveMode must be specified") == true)
    }

    @Test("an unsupported exec apiVersion is rejected with the supported ones")
    func unsupportedExecVersion() throws {
        let text = Fixtures.eks().replacingOccurrences(of: "client.authentication.k8s.io/v1beta1", with: "client.authentication.k8s.io/v1alpha1")
        let message = configMessage { _ = try Kubeconfig.parse(text).restConfig() }
        #expect(message?.contains("v1alpha1") == true)
        #expect(message?.contains("client.authentication.k8s.io/v1beta1") == true)
    }

    @Test("a token user, a token-file user and a basic-auth user get their credentials")
    func tokenTokenFileAndBasic() throws {
        let dir = try ConfigTestDirectory()
        try dir.write("secrets/token", "file-token\n")
        let path = try dir.write("config", """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: {server: "https://10.0.0.1:6443", insecure-skip-tls-verify: true, tls-server-name: api.internal, proxy-url: "socks5://127.0.0.1:1080"}
            contexts:
            - {name: token, context: {cluster: c, user: token-user, namespace: apps}}
            - {name: file, context: {cluster: c, user: file-user}}
            - {name: basic, context: {cluster: c, user: basic-user}}
            current-context: token
            users:
            - name: token-user
              user:
                token: abc.def.ghi
                as: jane
                as-uid: "1234"
                as-groups: [developers, viewers]
                as-user-extra: {scopes: [view, edit]}
            - name: file-user
              user: {tokenFile: secrets/token}
            - name: basic-user
              user: {username: admin, password: hunter2}
            """)
        let token = try RESTConfig.load(path: path)
        #expect(token.credentials == .bearerToken("abc.def.ghi"))
        #expect(token.namespace == "apps")
        #expect(token.tls.insecureSkipTLSVerify)
        #expect(token.tls.serverName == "api.internal")
        #expect(token.proxyURL == "socks5://127.0.0.1:1080")
        #expect(token.impersonate == Impersonation(user: "jane", uid: "1234", groups: ["developers", "viewers"],
                                                   extra: ["scopes": ["view", "edit"]]))

        let file = try RESTConfig.load(path: path, context: "file")
        #expect(file.credentials == .tokenFile(dir.path + "/secrets/token"))
        #expect(try CredentialProvider(config: file).current() == .bearer("file-token"))

        let basic = try RESTConfig.load(path: path, context: "basic", namespace: "override")
        #expect(basic.credentials == .basic(username: "admin", password: "hunter2"))
        #expect(basic.namespace == "override")
        #expect(try CredentialProvider(config: basic).current() == .basic("admin", "hunter2"))
    }

    @Test("a token together with basic auth is an error that shows neither secret")
    func tokenAndBasicConflict() throws {
        let text = """
            clusters: [{name: c, cluster: {server: "https://h"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            users: [{name: u, user: {token: sup3r-s3cret, username: admin, password: hunter2}}]
            """
        let message = try #require(configMessage { _ = try Kubeconfig.parse(text).restConfig() })
        #expect(message.contains("more than one authentication method"))
        #expect(!message.contains("sup3r-s3cret") && !message.contains("hunter2"))
    }

    @Test("an auth-provider user gets a clear unsupported error")
    func authProviderUnsupported() throws {
        let text = """
            clusters: [{name: c, cluster: {server: "https://h"}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            users:
            - name: u
              user:
                auth-provider:
                  name: gcp
                  config: {access-token: ya29.secret, cmd-path: /usr/bin/gcloud}
            """
        let message = try #require(configMessage { _ = try Kubeconfig.parse(text).restConfig() })
        #expect(message.contains("auth-provider \"gcp\""))
        #expect(message.contains("not supported"))
        #expect(!message.contains("ya29.secret"))
    }

    @Test("static credentials win over an exec plugin")
    func staticCredentialsWinOverExec() throws {
        let text = Fixtures.eks().replacingOccurrences(of: "    exec:\n", with: "    token: static-token\n    exec:\n")
        #expect(try Kubeconfig.parse(text).restConfig().credentials == .bearerToken("static-token"))
    }

    @Test("invalid base64 data is an error naming the field, not the value")
    func invalidBase64() throws {
        let text = Fixtures.kind.replacingOccurrences(of: Fixtures.base64(Fixtures.keyPEM), with: "bm90$base64")
        let message = try #require(configMessage { _ = try Kubeconfig.parse(text, path: "/etc/kube/config") })
        #expect(message.contains("client-key-data is not valid base64"))
        #expect(message.contains("/etc/kube/config"))
        #expect(!message.contains("bm90"))
    }

    @Test("insecure-skip-tls-verify with a certificate authority is rejected")
    func insecureWithCA() throws {
        let text = Fixtures.kind.replacingOccurrences(of: "    server: https://127.0.0.1:39417",
                                                      with: "    server: https://127.0.0.1:39417\n    insecure-skip-tls-verify: true")
        let message = configMessage { _ = try Kubeconfig.parse(text).restConfig() }
        #expect(message?.contains("insecure-skip-tls-verify") == true)
    }

    @Test("a server without a scheme gets https when TLS is configured, http otherwise")
    func serverScheme() {
        #expect(Kubeconfig.normalizedServer("10.0.0.1:6443", tls: TLSSettings(caData: [1])) == "https://10.0.0.1:6443")
        #expect(Kubeconfig.normalizedServer("localhost:8080", tls: TLSSettings()) == "http://localhost:8080")
        #expect(Kubeconfig.normalizedServer("https://h:1/prefix", tls: TLSSettings()) == "https://h:1/prefix")
    }

    @Test("descriptions of credentials and configs never show secrets")
    func redactedDescriptions() throws {
        var config = RESTConfig(host: "https://h", credentials: .basic(username: "admin", password: "hunter2"))
        config.tls.clientKeyData = Array("PRIVATE".utf8)
        #expect(!"\(config)".contains("hunter2"))
        #expect(!"\(Credentials.bearerToken("tok3n"))".contains("tok3n"))
        #expect(!"\(Credential.bearer("tok3n"))".contains("tok3n"))
        var dumped = ""
        dump(Credential.bearer("tok3n"), to: &dumped)
        #expect(!dumped.contains("tok3n"))
        let user = try #require(Kubeconfig.parse("users: [{name: u, user: {token: tok3n}}]").authInfos["u"])
        #expect(!"\(user)".contains("tok3n"))
    }

    @Test("base64 round-trips and rejects garbage")
    func base64() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(Base64.decode(encoded) == bytes)
        }
        #expect(Base64.decode("aGVs\nbG8=") == Array("hello".utf8))
        #expect(Base64.decode("a$b") == nil)
        #expect(Base64.decode("aGVsbG8=x") == nil)
    }
}

@Suite("File paths")
struct FilePathTests {
    @Test("relative paths join and clean like Go's filepath.Join")
    func joinAndClean() {
        #expect(FilePath.join("/home/u/.kube", "./plugin.sh") == "/home/u/.kube/plugin.sh")
        #expect(FilePath.join("/home/u/.kube", "../certs/ca.crt") == "/home/u/certs/ca.crt")
        #expect(FilePath.join("/", "../../x") == "/x")
        #expect(FilePath.clean("a//b/./c/..") == "a/b")
        #expect(FilePath.clean("../a") == "../a")
        #expect(FilePath.resolve("/abs/file", against: "/base") == "/abs/file")
        #expect(FilePath.directory(of: "/etc/kube/config") == "/etc/kube")
        #expect(FilePath.directory(of: "/config") == "/")
    }
}
