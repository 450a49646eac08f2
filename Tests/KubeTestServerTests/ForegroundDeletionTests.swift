import KubeCore
import KubeTestServer
import Testing

/// Foreground deletion waits only for blocking dependents, as the garbage collector does
/// (garbagecollector.go processDeletingDependentsItem: the foregroundDeletion finalizer goes
/// once `blockingDependents` — dependents whose reference has blockOwnerDeletion: true — is empty).
@Suite("foreground deletion and blockOwnerDeletion")
struct ForegroundDeletionTests {
    static let deployments = "/apis/apps/v1/namespaces/default/deployments"

    func dependent(_ name: String, of owner: JSON, blocking: Bool) -> JSON {
        var cm = configMap(name)
        cm[path: ["metadata", "ownerReferences"]] = [[
            "apiVersion": "apps/v1", "kind": "Deployment", "name": owner[path: ["metadata", "name"]] ?? "",
            "uid": owner[path: ["metadata", "uid"]] ?? "", "blockOwnerDeletion": .bool(blocking),
        ]]
        cm[path: ["metadata", "finalizers"]] = ["example.com/hold"]
        return cm
    }

    @Test("a dependent without blockOwnerDeletion is deleted but does not hold the owner")
    func nonBlockingDependent() throws {
        try withServer { _, client throws in
            let owner = try #require(try client.post(Self.deployments, deployment("o")).json)
            _ = try client.post(configMapsPath, dependent("loose", of: owner, blocking: false))
            let response = try client.delete(Self.deployments + "/o", ["propagationPolicy": "Foreground"])
            #expect(response.status == 200)
            #expect(response.json?[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            #expect(try client.get(Self.deployments + "/o").status == 404)
            // The dependent was deleted too; its own finalizer keeps it, terminating.
            #expect(try client.get(configMapsPath + "/loose").json?[path: ["metadata", "deletionTimestamp"]] != nil)
        }
    }

    @Test("a blocking dependent that drops blockOwnerDeletion releases the owner")
    func blockingDependentReleases() throws {
        try withServer { _, client throws in
            let owner = try #require(try client.post(Self.deployments, deployment("o")).json)
            _ = try client.post(configMapsPath, dependent("held", of: owner, blocking: true))
            _ = try client.delete(Self.deployments + "/o", ["propagationPolicy": "Foreground"])
            #expect(try client.get(Self.deployments + "/o").status == 200)
            let patch = #"[{"op":"replace","path":"/metadata/ownerReferences/0/blockOwnerDeletion","value":false}]"#
            #expect(try client.patch(configMapsPath + "/held", .json, patch).status == 200)
            #expect(try client.get(Self.deployments + "/o").status == 404)
        }
    }
}
