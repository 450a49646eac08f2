import KubeTestServer
import Testing

@Suite("--port-forward mappings")
struct PortForwardMappingTests {
    @Test("[NAMESPACE/]POD:PORT=HOST:PORT parses, with default namespace and bracketed IPv6 hosts")
    func parses() throws {
        #expect(try PortForwardMapping(parsing: "default/web:8080=127.0.0.1:9000")
            == PortForwardMapping(namespace: "default", pod: "web", port: 8080, host: "127.0.0.1", targetPort: 9000))
        #expect(try PortForwardMapping(parsing: "web:80=localhost:8081")
            == PortForwardMapping(pod: "web", port: 80, host: "localhost", targetPort: 8081))
        let v6 = try PortForwardMapping(parsing: "kube-system/dns:53=[::1]:5353")
        #expect(v6 == PortForwardMapping(namespace: "kube-system", pod: "dns", port: 53, host: "::1", targetPort: 5353))
        #expect(v6.description == "kube-system/dns:53=[::1]:5353")
    }

    @Test("malformed mappings are refused with the flag's syntax", arguments: [
        "web:8080", "web=127.0.0.1:9000", "web:0=127.0.0.1:9000", "web:8080=127.0.0.1:70000", "a/b/c:1=h:2",
        "/web:1=h:2", "web:1=:2", "web:x=h:2",
    ])
    func refuses(_ text: String) {
        #expect(throws: KubeTestServerError.self) { try PortForwardMapping(parsing: text) }
    }
}
