import Foundation
import KubeClient
import KubeCore
import KubeTestServer

/// A test server plus a client for it (admin token, CA from the server, no rate limit).
final class TestCluster: Sendable {
    let server: KubeTestServer
    let config: RESTConfig
    let client: KubeClient

    init(retry: RetryPolicy = RetryPolicy(maxRetries: 5, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(200)),
         credentials: ((KubeTestServer) -> Credentials)? = nil,
         adjust: (inout RESTConfig, KubeTestServer) -> Void = { _, _ in }) throws {
        var options = KubeTestServerOptions()
        options.threads = 1
        server = try KubeTestServer.startBlocking(options)
        var config = RESTConfig(host: server.url, credentials: credentials?(server) ?? .bearerToken(server.adminToken), qps: -1)
        config.tls.caData = server.caPEM.map { Array($0.utf8) }
        adjust(&config, server)
        self.config = config
        client = try KubeClient(config: config, options: TransportOptions(retryPolicy: retry, warningHandler: .ignore))
    }

    /// A second client with a different configuration against the same server.
    func client(_ adjust: (inout RESTConfig) -> Void) throws -> KubeClient {
        var copy = config
        adjust(&copy)
        return try KubeClient(config: copy, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
    }

    func stop() { server.stopBlocking() }

    static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")
    static let deployments = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")
    static let namespaces = GroupVersionResource(group: "", version: "v1", resource: "namespaces")

    static func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:],
                          data: [String: String] = [:]) -> Unstructured {
        var object = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: name, namespace: namespace)
        object.labels = labels
        if !data.isEmpty { object.object["data"] = .object(data.mapValues(JSON.string)) }
        return object
    }

    static func deployment(_ name: String, replicas: Int = 1, image: String = "nginx:1.7.9") throws -> Unstructured {
        try Unstructured(json: JSON.parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\(name)","namespace":"default"},
         "spec":{"replicas":\(replicas),"selector":{"matchLabels":{"app":"\(name)"}},
                 "template":{"metadata":{"labels":{"app":"\(name)"}},
                             "spec":{"containers":[{"name":"web","image":"\(image)"}]}}}}
        """))
    }
}
