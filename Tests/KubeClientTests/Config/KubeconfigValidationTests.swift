import KubeCore
import Testing
@testable import KubeClient

/// client-go's kubeconfig validation (clientcmd `validateAuthInfo`, `DirectClientConfig`),
/// matched case by case.
@Suite("Kubeconfig validation follows client-go")
struct KubeconfigValidationTests {
    private static func config(user: String, extra: String = "", cluster: String = "") -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: c
        clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"\(cluster)}}]
        contexts: [{name: c, context: {cluster: k, user: u}}]
        users: [{name: u, user: {\(user)}}]
        \(extra)
        """
    }

    @Test("impersonating groups, extra or a uid without a user is refused",
          arguments: ["as-groups: [devs]", "as-user-extra: {scopes: [a]}", "as-uid: \"42\""])
    func impersonationWithoutUser(_ field: String) {
        let message = configMessage { _ = try Kubeconfig.parse(Self.config(user: field)).restConfig() }
        #expect(message?.contains("without a user to impersonate") == true)
        // Positive control: with a user to impersonate, the same field loads.
        #expect(configMessage { _ = try Kubeconfig.parse(Self.config(user: "as: jane, " + field)).restConfig() } == nil)
    }

    @Test("a file and inline data for the client certificate or key are refused together")
    func fileAndData() {
        let both = "client-certificate: /tmp/c.pem, client-certificate-data: QUJD, client-key-data: QUJD"
        #expect(configMessage { _ = try Kubeconfig.parse(Self.config(user: both)) }?
            .contains("client-certificate and client-certificate-data are both specified") == true)
        let keys = "client-key: /tmp/k.pem, client-key-data: QUJD"
        #expect(configMessage { _ = try Kubeconfig.parse(Self.config(user: keys)) }?
            .contains("client-key and client-key-data are both specified") == true)
    }

    @Test("duplicate extension names are refused")
    func duplicateExtensions() {
        let extra = "extensions: [{name: a, extension: {}}, {name: a, extension: {}}]"
        #expect(configMessage { _ = try Kubeconfig.parse(Self.config(user: "token: t", extra: extra)) }?
            .contains("duplicate extension name \"a\"") == true)
        let unique = "extensions: [{name: a, extension: {}}, {name: b, extension: {}}]"
        #expect(configMessage { _ = try Kubeconfig.parse(Self.config(user: "token: t", extra: unique)) } == nil)
    }

    @Test("a context naming a user that does not exist connects without credentials")
    func missingUser() throws {
        let text = """
        clusters: [{name: k, cluster: {server: "https://127.0.0.1:6443"}}]
        contexts: [{name: c, context: {cluster: k, user: ghost}}]
        current-context: c
        """
        let config = try Kubeconfig.parse(text).restConfig()
        #expect(config.credentials == .none)
        // An explicitly chosen user must exist.
        #expect(configMessage { _ = try Kubeconfig.parse(text).restConfig(overrides: KubeconfigOverrides(user: "ghost")) } != nil)
    }

    @Test("disable-compression on the cluster is honoured")
    func disableCompression() throws {
        #expect(try Kubeconfig.parse(Self.config(user: "token: t", cluster: ", disable-compression: true")).restConfig().disableCompression)
        #expect(try !Kubeconfig.parse(Self.config(user: "token: t")).restConfig().disableCompression)
    }

    @Test("with disable-compression no Accept-Encoding is sent")
    func noAcceptEncoding() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        var config = RESTConfig(host: server.url, qps: -1)
        config.disableCompression = true
        _ = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
            .raw(method: "GET", path: "/version")
        _ = try KubeClient(config: RESTConfig(host: server.url, qps: -1), options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
            .raw(method: "GET", path: "/version")
        let heads = server.requestHeads
        #expect(heads.count == 2)
        #expect(!heads[0].lowercased().contains("accept-encoding"))
        #expect(heads[1].lowercased().contains("accept-encoding"))
    }
}
