import KubeClient
import KubeCore
import KubeTestServer

/// A test server and a client for it (admin token, the server's CA, no rate limit).
final class TypedTestCluster: Sendable {
    let server: KubeTestServer
    let client: KubeClient

    init() throws {
        var options = KubeTestServerOptions()
        options.threads = 1
        server = try KubeTestServer.startBlocking(options)
        var config = RESTConfig(host: server.url, credentials: .bearerToken(server.adminToken), qps: -1)
        config.tls.caData = server.caPEM.map { Array($0.utf8) }
        client = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
    }

    func stop() { server.stopBlocking() }
}
