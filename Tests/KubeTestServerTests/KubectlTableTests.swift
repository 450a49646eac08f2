import Foundation
import KubeCore
import KubeTestServer
import Testing

/// kubectl's human-readable output comes from the server's Table (server-side printing), so
/// `kubectl get` shows the same columns as against kube-apiserver.
@Suite("kubectl get with server-side columns", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed"))
final class KubectlTableTests: KubectlSession {
    /// The header line's column names.
    func header(_ output: String) -> [String] {
        (output.split(separator: "\n").first ?? "").split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    }

    static let manifests = """
    apiVersion: v1
    kind: Pod
    metadata: {name: p1}
    spec:
      containers:
      - {name: main, image: nginx}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 2
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - {name: nginx, image: nginx:1.25}
    ---
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: gadgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: gadgets, singular: gadget, kind: Gadget}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        additionalPrinterColumns:
        - {name: Size, type: integer, jsonPath: .spec.size}
        - {name: Color, type: string, jsonPath: .spec.color}
    """

    @Test("kubectl get pods, deployments, namespaces and a CRD with printer columns shows the server's columns")
    func serverColumns() throws {
        _ = try expectOK(["apply", "-f", "-"], stdin: Self.manifests)
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 7, color: blue}\n")

        let pods = try expectOK(["get", "pods"])
        #expect(header(pods) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"], "\(pods)")
        #expect(pods.contains("p1") && pods.contains("0/1") && pods.contains("Pending"), "\(pods)")

        let deployments = try expectOK(["get", "deploy"])
        #expect(header(deployments) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], "\(deployments)")
        #expect(deployments.contains("0/2"), "\(deployments)")

        let wide = try expectOK(["get", "deploy", "-o", "wide"])
        #expect(header(wide).contains("IMAGES") && wide.contains("nginx:1.25"), "\(wide)")

        #expect(header(try expectOK(["get", "namespaces"])) == ["NAME", "STATUS", "AGE"])

        let gadgets = try expectOK(["get", "gadgets"])
        #expect(header(gadgets) == ["NAME", "SIZE", "COLOR"], "\(gadgets)")
        #expect(gadgets.contains("g1") && gadgets.contains("7") && gadgets.contains("blue"), "\(gadgets)")
    }

    @Test("kubectl get -w prints the server's columns for the list and for each event")
    func watchWithColumns() throws {
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first}\ndata: {a: '1'}\n")
        let watcher = try ProcessRunner.Background(kubectl, ["get", "configmaps", "-w"], environment: environment)
        defer { watcher.stop() }
        #expect(watcher.wait(timeout: 10) { lines in lines.contains { $0.hasPrefix("first") } }, "saw \(watcher.output)")
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: second}\ndata: {a: '1', b: '2'}\n")
        #expect(watcher.wait(timeout: 10) { lines in
            lines.contains { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2) == ["second", "2"] }
        }, "saw \(watcher.output)")
        #expect(header(watcher.output.joined(separator: "\n")) == ["NAME", "DATA", "AGE"], "saw \(watcher.output)")
    }
}
