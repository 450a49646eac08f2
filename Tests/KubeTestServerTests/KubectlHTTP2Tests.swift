import Foundation
import KubeTestServer
import Testing

/// kubectl (client-go) negotiates HTTP/2 when the server offers `h2` in ALPN, as against
/// kube-apiserver; its exec dialer offers only `http/1.1`, so exec upgrades still work.
@Suite("kubectl over HTTP/2", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed"))
final class KubectlHTTP2Tests: KubectlSession {
    @Test("kubectl get and get -w run over HTTP/2; kubectl exec upgrades over HTTP/1.1")
    func requestsWatchesAndExec() throws {
        let http1Before = server.http1Connections
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h2}\ndata: {a: '1'}\n")
        #expect(try expectOK(["get", "configmap", "h2", "-o", "jsonpath={.data.a}"]) == "1")
        #expect(server.http2Connections > 0)
        #expect(server.http1Connections == http1Before)

        let watcher = try ProcessRunner.Background(kubectl, ["get", "configmaps", "-w"], environment: environment)
        defer { watcher.stop() }
        #expect(watcher.wait(timeout: 10) { lines in lines.contains { $0.hasPrefix("h2 ") } }, "saw \(watcher.output)")
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h2-next}\n")
        #expect(watcher.wait(timeout: 10) { lines in lines.contains { $0.hasPrefix("h2-next") } }, "saw \(watcher.output)")
        #expect(server.http1Connections == http1Before)

        try server.seed(json: execPod("web", containers: ["main"]))
        #expect(try expectOK(["exec", "web", "--", "echo", "over h1"]) == "over h1\n")
        #expect(server.http1Connections > http1Before)
    }
}
