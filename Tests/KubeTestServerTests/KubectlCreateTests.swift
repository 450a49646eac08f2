import Foundation
import KubeCore
import KubeTestServer
import Testing

/// `kubectl create <kind>` uses client-go's typed clients, which send protobuf for built-in
/// types (Content-Type and Accept `application/vnd.kubernetes.protobuf`). Each case creates
/// the object, reads it back with `kubectl get -o json`, and compares it with what kubectl
/// sends (its `--dry-run=client -o json` rendering): every member sent is stored unchanged.
@Suite("kubectl create (protobuf requests)", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed; skipping the kubectl suite"))
final class KubectlCreateTests: KubectlSession {
    /// Creates with `args`, then checks the stored object against kubectl's own rendering.
    private func createAndReadBack(_ args: [String], kind: String, name: String, namespaced: Bool = true,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let sent = try JSON.parse(try expectOK(["create"] + args + ["--dry-run=client", "-o", "json"], sourceLocation: sourceLocation))
        let created = try run(["create"] + args + ["-v=7"])
        #expect(created.status == 0, "kubectl create \(args.joined(separator: " ")): \(created.stderr)", sourceLocation: sourceLocation)
        #expect(created.stdout.contains("\(kind)/\(name) created"), "\(created.stdout)", sourceLocation: sourceLocation)
        // The request really was protobuf (client-go logs request headers at -v=7).
        #expect(created.stderr.contains("Content-Type: application/vnd.kubernetes.protobuf"), sourceLocation: sourceLocation)
        let stored = try JSON.parse(try expectOK(["get", kind, name, "-o", "json"], sourceLocation: sourceLocation))
        let missing = Self.notContained(sent, in: stored)
        #expect(missing.isEmpty, "not stored as sent: \(missing)", sourceLocation: sourceLocation)
        #expect(stored[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(stored[path: ["metadata", "creationTimestamp"]]?.stringValue != nil, sourceLocation: sourceLocation)
        if namespaced { #expect(stored[path: ["metadata", "namespace"]] == "default", sourceLocation: sourceLocation) }
        return stored
    }

    /// Paths of `sent` whose values `stored` does not hold. Nulls and empty objects in `sent`
    /// (Go's zero structs, e.g. `creationTimestamp: null`, `status: {}`) ask for nothing.
    static func notContained(_ sent: JSON, in stored: JSON?, path: String = "") -> [String] {
        switch sent {
        case .null:
            return []
        case .object(let members):
            guard case .object(let have)? = stored else { return members.isEmpty ? [] : [path] }
            return members.keys.sorted().flatMap { notContained(members[$0] ?? .null, in: have[$0], path: path + "." + $0) }
        case .array(let items):
            guard case .array(let have)? = stored, have.count == items.count else { return [path] }
            return items.indices.flatMap { notContained(items[$0], in: have[$0], path: path + "[\($0)]") }
        default:
            return stored == sent ? [] : ["\(path): sent \(sent.serialized()), stored \(stored?.serialized() ?? "nothing")"]
        }
    }

    @Test("kubectl create configmap --from-literal")
    func configMap() throws {
        let stored = try createAndReadBack(["configmap", "x", "--from-literal=a=b", "--from-literal=empty="], kind: "configmap", name: "x")
        #expect(stored["data"] == ["a": "b", "empty": ""])
    }

    @Test("kubectl create secret generic")
    func secret() throws {
        let stored = try createAndReadBack(["secret", "generic", "s", "--from-literal=user=admin", "--type=Opaque"], kind: "secret", name: "s")
        #expect(stored[path: ["data", "user"]] == "YWRtaW4=")
        #expect(stored["type"] == "Opaque")
    }

    @Test("kubectl create deployment")
    func deployment() throws {
        let stored = try createAndReadBack(["deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80"],
                                           kind: "deployment.apps", name: "web")
        #expect(stored[path: ["spec", "replicas"]] == 3)
        #expect(stored[path: ["spec", "template", "spec", "containers"]]?[0]?["ports"]?[0]?["containerPort"] == 80)
    }

    @Test("kubectl create namespace")
    func namespace() throws {
        let stored = try createAndReadBack(["namespace", "team-a"], kind: "namespace", name: "team-a", namespaced: false)
        #expect(stored[path: ["status", "phase"]] == "Active")
    }

    @Test("kubectl create serviceaccount")
    func serviceAccount() throws {
        _ = try createAndReadBack(["serviceaccount", "robot"], kind: "serviceaccount", name: "robot")
    }

    @Test("kubectl run, auth can-i and auth whoami (protobuf Pod and review bodies)")
    func runAndReviews() throws {
        #expect(try expectOK(["run", "web", "--image=nginx:1.25", "--labels=app=web"]).contains("pod/web created"))
        #expect(try expectOK(["get", "pod", "web", "-o", "jsonpath={.spec.containers[0].image}"]) == "nginx:1.25")
        #expect(try expectOK(["auth", "can-i", "create", "configmaps"]).trimmingCharacters(in: .whitespacesAndNewlines) == "yes")
        #expect(try expectOK(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]) == "admin")
    }
}
