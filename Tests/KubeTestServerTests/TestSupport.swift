import Foundation
import KubeCore
import KubeTestServer

/// Runs `body` against a fresh plain-HTTP server and stops it afterwards.
func withServer<T>(_ configure: (inout KubeTestServerOptions) -> Void = { _ in },
                   _ body: (KubeTestServer, TestHTTPClient) throws -> T) throws -> T {
    var options = KubeTestServerOptions()
    options.useTLS = false
    options.bookmarkInterval = .milliseconds(200)
    configure(&options)
    let server = try KubeTestServer.startBlocking(options)
    defer { server.stopBlocking() }
    let client = TestHTTPClient(port: server.port, token: server.adminToken)
    return try body(server, client)
}

func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:], data: [String: String] = [:]) -> JSON {
    var metadata: JSON = ["name": .string(name), "namespace": .string(namespace)]
    if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
    return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": .object(data.mapValues { .string($0) })]
}

func deployment(_ name: String, replicas: Int64 = 1) -> JSON {
    [
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": ["name": .string(name), "namespace": "default"],
        "spec": [
            "replicas": .int(replicas),
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": [
                "metadata": ["labels": ["app": .string(name)]],
                "spec": ["containers": [["name": "main", "image": "nginx:1.25"]]],
            ],
        ],
    ]
}

let configMapsPath = "/api/v1/namespaces/default/configmaps"

extension JSON {
    var name: String? { self[path: ["metadata", "name"]]?.stringValue }
    var resourceVersion: String? { self[path: ["metadata", "resourceVersion"]]?.stringValue }
    var items: [JSON] { self["items"]?.arrayValue ?? [] }
}
