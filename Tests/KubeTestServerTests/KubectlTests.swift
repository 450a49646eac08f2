import Foundation
import KubeCore
import KubeTestServer
import Testing

/// Drives the server with kubectl (a real client-go program) through the kubeconfig it writes.
@Suite("kubectl end to end", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed; skipping the kubectl suite"))
final class KubectlTests: KubectlSession {

    static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      labels: {app: web}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          containers:
          - name: nginx
            image: nginx:1.25
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      labels: {app: web}
    data:
      a: "1"
    """

    static let crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
      versions:
      - name: v1
        served: true
        storage: true
        subresources: {status: {}}
        schema:
          openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
    """

    @Test("api-resources lists the built-in resources")
    func apiResources() throws {
        let out = try expectOK(["api-resources"])
        for name in ["configmaps", "deployments", "customresourcedefinitions", "namespaces", "pods"] {
            #expect(out.contains(name))
        }
    }

    @Test("apply, get, label selection, every patch type, scale and delete")
    func applyPatchScaleDelete() throws {
        #expect(try expectOK(["apply", "-f", "-"], stdin: Self.deployment).contains("deployment.apps/web created"))
        // Re-applying a changed manifest goes through kubectl's strategic merge patch.
        let changed = Self.deployment.replacingOccurrences(of: "nginx:1.25", with: "nginx:1.26")
        #expect(try expectOK(["apply", "-f", "-"], stdin: changed).contains("deployment.apps/web configured"))
        let json = try JSON.parse(try expectOK(["get", "deployment", "web", "-o", "json"]))
        #expect(json[path: ["spec", "template", "spec", "containers"]]?[0]?["image"] == "nginx:1.26")
        #expect(json[path: ["metadata", "generation"]] == 2)
        let selected = try expectOK(["get", "configmaps,deployments", "-l", "app=web", "-o", "name"])
        #expect(selected.contains("configmap/settings") && selected.contains("deployment.apps/web"))

        _ = try expectOK(["patch", "configmap", "settings", "--type", "merge", "-p", #"{"data":{"b":"2"}}"#])
        _ = try expectOK(["patch", "configmap", "settings", "--type", "json", "-p", #"[{"op":"add","path":"/data/c","value":"3"}]"#])
        _ = try expectOK(["patch", "deployment", "web", "-p", #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}"#])
        #expect(try expectOK(["get", "configmap", "settings", "-o", "jsonpath={.data}"]) == #"{"a":"1","b":"2","c":"3"}"#)
        // A strategic merge patch's new item goes before the server-only ones (apimachinery
        // normalizeElementOrder; the "kubectl patch" task page shows patch-demo-ctr-2 first).
        #expect(try expectOK(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[*].name}"]) == "sidecar nginx")

        _ = try expectOK(["scale", "deployment", "web", "--replicas=5"])
        #expect(try expectOK(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"]) == "5")

        _ = try expectOK(["delete", "deployment", "web"])
        _ = try expectOK(["delete", "configmap", "settings"])
        #expect(try run(["get", "deployment", "web"]).status != 0)
    }

    @Test("a CRD and then an object of it, by apply; server-side apply works too")
    func customResources() throws {
        _ = try expectOK(["apply", "-f", "-"], stdin: Self.crd)
        let cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n"
        #expect(try expectOK(["apply", "-f", "-"], stdin: cr).contains("widget.example.com/w1 created"))
        #expect(try expectOK(["get", "wd", "w1", "-o", "jsonpath={.spec.size}"]) == "3")
        _ = try expectOK(["apply", "--server-side", "-f", "-"], stdin: cr.replacingOccurrences(of: "size: 3", with: "size: 4"))
        #expect(try expectOK(["get", "widgets", "w1", "-o", "jsonpath={.spec.size}"]) == "4")
        _ = try expectOK(["delete", "crd", "widgets.example.com"])
    }

    @Test("get -w sees ADDED, MODIFIED and DELETED while another process changes configmaps")
    func watch() throws {
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: marker}\n")
        let watcher = try ProcessRunner.Background(kubectl, ["get", "configmaps", "-w", "--output-watch-events", "-o", "jsonpath={.type} {.object.metadata.name}{\"\\n\"}"],
                                                   environment: environment)
        defer { watcher.stop() }
        let plain = try ProcessRunner.Background(kubectl, ["get", "configmaps", "-w", "-o", "name"], environment: environment)
        defer { plain.stop() }
        // Both watches have started once they listed the marker.
        #expect(watcher.wait(timeout: 10) { $0.contains("ADDED marker") })
        #expect(plain.wait(timeout: 10) { $0.contains("configmap/marker") })
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: '1'}\n")
        _ = try expectOK(["label", "configmap", "watched", "x=y"])
        _ = try expectOK(["delete", "configmap", "watched"])
        let expected = ["ADDED watched", "MODIFIED watched", "DELETED watched"]
        #expect(watcher.wait(timeout: 10) { lines in expected.allSatisfy(lines.contains) }, "saw \(watcher.output)")
        #expect(plain.wait(timeout: 10) { $0.filter { $0 == "configmap/watched" }.count >= 3 }, "saw \(plain.output)")
    }

    @Test("the client-certificate context works; read-only gets 403 on writes; a wrong token gets 401")
    func credentials() throws {
        #expect(try expectOK(["--context", "client-cert", "get", "namespaces", "-o", "name"]).contains("namespace/default"))
        #expect(try expectOK(["--context", "read-only", "get", "namespaces", "-o", "name"]).contains("namespace/default"))
        let forbidden = try run(["--context", "read-only", "apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ro}\n")
        #expect(forbidden.status != 0)
        #expect(forbidden.stderr.contains("Forbidden") || forbidden.stderr.contains("forbidden"))
        let unauthorized = try run(["--token", "wrong", "get", "configmaps"])
        #expect(unauthorized.status != 0)
        #expect(unauthorized.stderr.contains("Unauthorized"))
    }

    // kube-apiserver: a Foreground delete answers the object with the foregroundDeletion
    // finalizer; kubectl then waits until the garbage collector has removed the dependents
    // and the owner.
    @Test("delete --cascade=foreground removes the dependents, then the owner")
    func foregroundCascade() throws {
        _ = try expectOK(["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fg-owner}\n")
        let uid = try expectOK(["get", "configmap", "fg-owner", "-o", "jsonpath={.metadata.uid}"])
        let dependent = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: fg-dependent
          ownerReferences:
          - {apiVersion: v1, kind: ConfigMap, name: fg-owner, uid: \(uid), blockOwnerDeletion: true}
        """
        _ = try expectOK(["apply", "-f", "-"], stdin: dependent)
        #expect(try expectOK(["delete", "configmap", "fg-owner", "--cascade=foreground"]).contains("configmap \"fg-owner\" deleted"))
        #expect(try run(["get", "configmap", "fg-dependent"]).status != 0)
        #expect(try run(["get", "configmap", "fg-owner"]).status != 0)
    }
}
