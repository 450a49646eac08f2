import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("TLS and authentication", .enabled(if: ProcessRunner.find("curl") != nil, "curl is not installed"))
struct TLSAuthTests {
    @Test("HTTPS accepts the admin token, the client certificate and refuses anonymous requests")
    func tls() throws {
        let server = try KubeTestServer.startBlocking()
        defer { server.stopBlocking() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kts-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ca = dir.appendingPathComponent("ca.pem").path
        let cert = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        try (server.caPEM ?? "").write(toFile: ca, atomically: true, encoding: .utf8)
        try (server.clientCertificatePEM ?? "").write(toFile: cert, atomically: true, encoding: .utf8)
        try (server.clientKeyPEM ?? "").write(toFile: key, atomically: true, encoding: .utf8)
        let curl = try #require(ProcessRunner.find("curl"))
        #expect(server.url.hasPrefix("https://127.0.0.1:"))
        func code(_ extra: [String]) throws -> String {
            try ProcessRunner.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca] + extra + [server.url + "/api/v1/namespaces"]).stdout
        }
        #expect(try code(["-H", "Authorization: Bearer \(server.adminToken)"]) == "200")
        #expect(try code(["--cert", cert, "--key", key]) == "200")
        #expect(try code([]) == "401")
        #expect(try code(["-H", "Authorization: Bearer nope"]) == "401")
        let localhost = try ProcessRunner.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", ca,
                                                     "-H", "Authorization: Bearer \(server.adminToken)",
                                                     server.url.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/version"]).stdout
        #expect(localhost == "200")
        let kubeconfig = try String(contentsOfFile: server.kubeconfigPath, encoding: .utf8)
        #expect(kubeconfig.contains("current-context: token"))
        #expect(kubeconfig.contains("name: client-cert"))
        #expect(kubeconfig.contains("name: read-only"))
        #expect(kubeconfig.contains("certificate-authority-data:"))
    }

    @Test("seed manifests load at start with their status kept")
    func seedFiles() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString).yaml").path
        try """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: team, labels: {app: a}}
        spec: {containers: [{name: c, image: i}]}
        status: {phase: Running}
        ---
        {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "other"}}]}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try withServer({ $0.seedFiles = [file] }) { server, client throws in
            #expect(try client.get("/api/v1/namespaces/team/pods/p").json?[path: ["status", "phase"]] == "Running")
            #expect(try client.get("/api/v1/namespaces/other/configmaps/c").status == 200)
            #expect(server.get(apiVersion: "v1", kind: "Pod", namespace: "team", name: "p") != nil)
        }
    }
}
