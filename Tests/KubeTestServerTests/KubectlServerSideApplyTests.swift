import Foundation
import KubeTestServer
import Testing

/// `kubectl apply --server-side` against the test server: the conflict a second field manager
/// meets is reported as kube-apiserver reports it (apimachinery fieldmanager conflict.go
/// getConflictMessage: `Apply failed with 1 conflict: conflict with "<manager>": <path>`), which
/// kubectl prints after "error: " with its own advice; `--force-conflicts` moves ownership.
@Suite("kubectl apply --server-side conflicts", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed"))
final class KubectlServerSideApplyTests: KubectlSession {
    func configMap(_ name: String, _ data: [String: String]) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name)}\ndata:\n"
            + data.keys.sorted().map { "  \($0): \"\(data[$0] ?? "")\"\n" }.joined()
    }

    @Test("a second manager changing an owned field gets kubectl's conflict error; --force-conflicts takes the field")
    func conflictThenForce() throws {
        _ = try expectOK(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: configMap("ssa", ["owned": "a", "shared": "s"]))
        // Same value: co-ownership, no conflict.
        _ = try expectOK(["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: configMap("ssa", ["shared": "s"]))

        let refused = try run(["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: configMap("ssa", ["owned": "b"]))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains(#"error: Apply failed with 1 conflict: conflict with "alice": .data.owned"#), "\(refused.stderr)")
        #expect(refused.stderr.contains("Please review the fields above--they currently have other managers."))
        #expect(refused.stderr.contains("--force-conflicts"))
        #expect(try expectOK(["get", "configmap", "ssa", "-o", "jsonpath={.data.owned}"]) == "a")

        let forced = try expectOK(["apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", "-"],
                                  stdin: configMap("ssa", ["owned": "b"]))
        #expect(forced.contains("configmap/ssa serverside-applied"))
        #expect(try expectOK(["get", "configmap", "ssa", "-o", "jsonpath={.data.owned}"]) == "b")
        // bob owns it now: alice re-applying her old value conflicts with bob.
        let back = try run(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: configMap("ssa", ["owned": "a", "shared": "s"]))
        #expect(back.stderr.contains(#"Apply failed with 1 conflict: conflict with "bob": .data.owned"#), "\(back.stderr)")
    }

    @Test("conflicts with several fields are listed per manager, as kube-apiserver lists them")
    func severalConflicts() throws {
        _ = try expectOK(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: configMap("many", ["p": "1", "q": "1"]))
        let refused = try run(["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: configMap("many", ["p": "2", "q": "2"]))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("error: Apply failed with 2 conflicts: conflicts with \"alice\":\n- .data.p\n- .data.q"), "\(refused.stderr)")
    }
}
