import KubeClient
import KubeCore
import Testing
import KubeTestSupport

/// Issue: names `.` and `..` were sent unescaped and curl collapsed them, so
/// `delete("..")` on pods in `tenant-a` deleted the namespace itself.
@Suite("Path segments are validated before a request is sent")
struct PathSegmentTests {
    @Test("dot segments, slashes, percent, NUL and control characters are refused in every segment",
          arguments: [".", "..", "a/b", "a%2Fb", "a\u{0}b", "line\nbreak", "tab\there", "del\u{7F}"])
    func refusedValues(_ value: String) {
        for request in [
            APIRequest(version: "v1", namespace: value, resource: "pods"),
            APIRequest(version: "v1", namespace: "default", resource: "pods", name: value),
            APIRequest(version: "v1", resource: value),
            APIRequest(version: "v1", namespace: "default", resource: "pods", name: "web", subresource: value),
            APIRequest(group: value, version: "v1", resource: "pods"),
        ] {
            #expect(throws: RequestError.self) { try request.validate() }
        }
    }

    @Test("ordinary names, system names with colons and empty namespaces pass")
    func acceptedValues() throws {
        try APIRequest(version: "v1", namespace: "", resource: "nodes", name: "node-1").validate()
        try APIRequest(group: "rbac.authorization.k8s.io", version: "v1", resource: "clusterroles",
                       name: "system:controller:x").validate()
        try APIRequest(version: "v1", namespace: "default", resource: "pods", name: "a..b", subresource: "log").validate()
    }

    @Test("an empty name or a subresource without a name is refused, not turned into a collection request")
    func emptyName() {
        #expect(throws: RequestError.self) { try APIRequest(version: "v1", resource: "pods", name: "").validate() }
        #expect(throws: RequestError.self) { try APIRequest(version: "v1", resource: "pods", subresource: "status").validate() }
    }

    @Test("an error message shows control characters escaped")
    func escapedMessage() {
        do {
            try APIRequest(version: "v1", resource: "pods", name: "x\ny").validate()
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("\n"))
            #expect(error.description.contains("\\u{a}"))
        }
    }

    @Test("delete(\"..\") on pods in a namespace is refused and the namespace survives")
    func deleteDotDot() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let namespaces = cluster.client.resource(TestCluster.namespaces)
        var namespace = Unstructured(apiVersion: "v1", kind: "Namespace", name: "tenant-a")
        namespace.labels = [:]
        _ = try namespaces.create(namespace)
        let pods = cluster.client.resource(apiVersion: "v1", resource: "pods", namespace: "tenant-a")
        for name in ["..", ".", "x/..", ""] {
            #expect(throws: KubeError.self) { _ = try pods.delete(name) }
        }
        #expect(try namespaces.get("tenant-a").name == "tenant-a")

        let secrets = cluster.client.resource(apiVersion: "v1", resource: "secrets", namespace: "..")
        let listError = #expect(throws: KubeError.self) { _ = try secrets.list() }
        #expect(listError.map { if case .invalidArgument = $0 { true } else { false } } == true)
        #expect(throws: KubeError.self) { try secrets.watch { _ in .stop } }
    }

    @Test("a raw path with dot segments or control characters is refused")
    func rawPath() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        for path in ["/api/v1/namespaces/default/pods/..", "/api/v1/./namespaces", "/api/v1/pods?x=\n", "/api/v1/a b"] {
            #expect(throws: KubeError.self) { _ = try cluster.client.raw(method: "GET", path: path) }
        }
        #expect(try cluster.client.raw(method: "GET", path: "/api/v1/namespaces?limit=1").statusCode == 200)
    }

    @Test("what the transport sends is the validated path, not a normalised one")
    func sentAsIs() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", filler: "", maxBytes: 0)
        defer { server.stop() }
        let client = try KubeClient(config: RESTConfig(host: server.url, qps: -1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        _ = try client.raw(method: "GET", path: "/api/v1/namespaces/a..b/pods/x.y")
        #expect(server.requestLines.first == "GET /api/v1/namespaces/a..b/pods/x.y HTTP/1.1")
    }
}
