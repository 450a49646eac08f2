import KubeCore
import KubeTestServer
import Testing

@Suite("Finalizers, garbage collection and custom resources")
struct LifecycleTests {
    @Test("deleting an object with finalizers marks it; removing the last finalizer deletes it")
    func finalizers() throws {
        try withServer { _, client throws in
            var cm = configMap("f")
            cm[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            _ = try client.post(configMapsPath, cm)
            let watch = try client.watch(configMapsPath + "?watch=1&resourceVersion=0")
            defer { watch.close() }
            #expect(try watch.next()?["type"] == "ADDED")
            let deleting = try client.delete(configMapsPath + "/f")
            #expect(deleting.status == 200)  // kube-apiserver handlers/delete.go: 202 only with orphanDependents=false
            #expect(deleting.json?[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(try watch.next()?["type"] == "MODIFIED")
            #expect(try client.get(configMapsPath + "/f").status == 200)
            _ = try client.patch(configMapsPath + "/f", .merge, #"{"metadata":{"finalizers":null}}"#)
            let gone = try #require(try watch.next())
            #expect(gone["type"] == "DELETED")
            #expect(try client.get(configMapsPath + "/f").status == 404)
        }
    }

    func owned(_ name: String, by owner: JSON) -> JSON {
        var cm = configMap(name)
        cm[path: ["metadata", "ownerReferences"]] = [[
            "apiVersion": "apps/v1", "kind": "Deployment", "name": owner["metadata"]?["name"] ?? "",
            "uid": owner[path: ["metadata", "uid"]] ?? "", "blockOwnerDeletion": true,
        ]]
        return cm
    }

    @Test("background deletion removes dependents")
    func background() throws {
        try withServer { _, client throws in
            let owner = try #require(try client.post("/apis/apps/v1/namespaces/default/deployments", deployment("o")).json)
            _ = try client.post(configMapsPath, owned("d1", by: owner))
            _ = try client.post(configMapsPath, owned("d2", by: owner))
            _ = try client.post(configMapsPath, configMap("other"))
            _ = try client.delete("/apis/apps/v1/namespaces/default/deployments/o", ["propagationPolicy": "Background"])
            #expect(try client.get(configMapsPath).json?.items.compactMap(\.name) == ["other"])
        }
    }

    @Test("foreground deletion removes dependents before the owner; orphan keeps them")
    func foregroundAndOrphan() throws {
        try withServer { _, client throws in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            let owner = try #require(try client.post(path, deployment("o")).json)
            var held = owned("held", by: owner)
            held[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            _ = try client.post(configMapsPath, held)
            _ = try client.delete(path + "/o", ["propagationPolicy": "Foreground"])
            let waiting = try #require(try client.get(path + "/o").json)
            #expect(waiting[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            _ = try client.patch(configMapsPath + "/held", .merge, #"{"metadata":{"finalizers":null}}"#)
            #expect(try client.get(configMapsPath + "/held").status == 404)
            #expect(try client.get(path + "/o").status == 404)

            let owner2 = try #require(try client.post(path, deployment("o2")).json)
            _ = try client.post(configMapsPath, owned("kept", by: owner2))
            _ = try client.delete(path + "/o2", ["propagationPolicy": "Orphan"])
            let kept = try #require(try client.get(configMapsPath + "/kept").json)
            #expect(kept[path: ["metadata", "ownerReferences"]] == nil)
        }
    }

    @Test("deleteCollection deletes what the selector matches")
    func deleteCollection() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", labels: ["x": "1"]))
            _ = try client.post(configMapsPath, configMap("b", labels: ["x": "1"]))
            _ = try client.post(configMapsPath, configMap("c"))
            #expect(try client.delete(configMapsPath + "?labelSelector=x%3D1").status == 200)
            #expect(try client.get(configMapsPath).json?.items.compactMap(\.name) == ["c"])
        }
    }

    static let crd: JSON = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced",
            "names": ["plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]],
            "versions": [[
                "name": "v1", "served": true, "storage": true,
                "subresources": ["status": [:], "scale": ["specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"]],
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]],
        ],
    ]

    @Test("a CRD makes its resource served and discoverable at once; deleting it removes both")
    func crdLifecycle() throws {
        try withServer { _, client throws in
            let crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
            #expect(try client.post(crdPath, Self.crd).status == 201)
            let discovery = try #require(try client.get("/apis/example.com/v1").json)
            #expect(discovery["resources"]?.arrayValue?.contains { $0["name"] == "widgets" } == true)
            #expect(try client.get("/apis").json?["groups"]?.arrayValue?.contains { $0["name"] == "example.com" } == true)
            let wPath = "/apis/example.com/v1/namespaces/default/widgets"
            let w: JSON = ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"], "spec": ["replicas": 1]]
            #expect(try client.post(wPath, w).status == 201)
            #expect(try client.patch(wPath + "/w", .merge, #"{"status":{"ready":true}}"#).json?["status"] == nil)
            #expect(try client.patch(wPath + "/w/status", .merge, #"{"status":{"ready":true}}"#).json?[path: ["status", "ready"]] == true)
            #expect(try client.patch(wPath + "/w/scale", .merge, #"{"spec":{"replicas":3}}"#).status == 200)
            #expect(try client.get(wPath + "/w").json?[path: ["spec", "replicas"]] == 3)
            #expect(try client.patch(wPath + "/w", .strategic, #"{"spec":{"a":1}}"#).status == 415)
            #expect(try client.delete(crdPath + "/widgets.example.com").status == 200)
            #expect(try client.get(wPath).status == 404)
            #expect(try client.get("/apis/example.com/v1").status == 404)
        }
    }
}
