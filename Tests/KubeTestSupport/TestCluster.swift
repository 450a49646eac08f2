import Foundation
import KubeClient
import KubeCore
import KubeTestServer

/// A test server plus a client for it (admin token, CA from the server, no rate limit): the
/// one cluster setup of the integration tests.
public final class TestCluster: Sendable {
    public let server: KubeTestServer
    public let config: RESTConfig
    public let client: KubeClient

    /// `options` configure the server (one event-loop thread unless said otherwise), `retry`
    /// the client's retries, `credentials` and `adjust` the client's configuration.
    public init(options: KubeTestServerOptions = TestCluster.defaultOptions,
                retry: RetryPolicy = RetryPolicy(maxRetries: 5, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200)),
                credentials: ((KubeTestServer) -> Credentials)? = nil,
                adjust: (inout RESTConfig, KubeTestServer) -> Void = { _, _ in }) throws {
        server = try KubeTestServer.startBlocking(options)
        var config = RESTConfig(host: server.url, credentials: credentials?(server) ?? .bearerToken(server.adminToken), qps: -1)
        config.tls.caData = server.caPEM.map { Array($0.utf8) }
        adjust(&config, server)
        self.config = config
        client = try KubeClient(config: config, options: TransportOptions(retryPolicy: retry, warningHandler: .ignore))
    }

    /// One event-loop thread: enough for a test, and what keeps many servers cheap.
    public static var defaultOptions: KubeTestServerOptions {
        var options = KubeTestServerOptions()
        options.threads = 1
        return options
    }

    /// A second client with a different configuration against the same server.
    public func client(_ adjust: (inout RESTConfig) -> Void) throws -> KubeClient {
        var copy = config
        adjust(&copy)
        return try KubeClient(config: copy, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
    }

    public func stop() { server.stopBlocking() }

    public static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    public static let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    public static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")

    public static func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                          data: [String: String] = [:]) -> Unstructured {
        var object = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: name, namespace: namespace)
        object.labels = labels
        if !data.isEmpty { object.object["data"] = .object(data.mapValues(JSON.string)) }
        return object
    }

    public static func deployment(_ name: String, replicas: Int = 1, image: String = "nginx:1.7.9") throws -> Unstructured {
        try Unstructured(json: JSON.parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\(name)","namespace":"default"},
         "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"\(name)"}},
                 "template":{"metadata":{"labels":{"app":"\(name)"}},
                             "spec":{"containers":[{"name":"web","image":"\(image)"}]}}}}
        """))
    }
}
