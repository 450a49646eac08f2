import KubeCore
import KubeTestServer
import Testing

@Suite("Swift API")
struct AsyncStartTests {
    @Test("start and stop from async code; create and get through the Swift API")
    func asyncLifecycle() async throws {
        var options = KubeTestServerOptions()
        options.useTLS = false
        let server = try await KubeTestServer.start(options)
        let created = try server.create(configMap("direct", data: ["k": "v"]))
        #expect(created[path: ["metadata", "uid"]] != nil)
        #expect(server.get(apiVersion: "v1", kind: "ConfigMap", name: "direct")?[path: ["data", "k"]] == "v")
        #expect(throws: Status.self) { try server.create(configMap("direct")) }
        let client = TestHTTPClient(port: server.port, token: server.adminToken)
        #expect(try client.get(configMapsPath + "/direct").status == 200)
        await server.stop()
    }
}
