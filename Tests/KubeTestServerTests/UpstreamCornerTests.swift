import KubeCore
import KubeTestServer
import Testing

/// Corners where the test server follows kube-apiserver (issue 13, item 4). Each test names
/// the upstream behaviour it reproduces.
@Suite("kube-apiserver corners: labels, quantities, 415, foreground delete, field selectors")
struct UpstreamCornerTests {
    static let podsPath = "/api/v1/namespaces/default/pods"

    func pod(_ name: String, limits: JSON, labels: JSON? = nil) -> JSON {
        var metadata: JSON = ["name": .string(name), "namespace": "default"]
        if let labels { metadata["labels"] = labels }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata,
                "spec": ["containers": [["name": "main", "image": "nginx", "resources": ["limits": limits, "requests": limits]]]]]
    }

    // apimachinery ValidateLabels → IsQualifiedName: "metadata.labels: Invalid value: ..." (422).
    @Test("a create with an invalid label key is 422 Invalid with a cause on metadata.labels")
    func invalidLabelKey() throws {
        try withServer { _, client throws in
            for key in ["bad key", "-a", "Example.com/x", "a/b/c", String(repeating: "k", count: 64)] {
                let response = try client.post(configMapsPath, configMap("c", labels: [key: "v"]))
                #expect(response.status == 422, "\(key)")
                let causes = response.json?[path: ["details", "causes"]]?.arrayValue ?? []
                #expect(causes.first?["field"] == "metadata.labels", "\(key)")
                #expect(response.json?["message"]?.stringValue?.contains("metadata.labels: Invalid value") == true)
            }
            #expect(try client.post(configMapsPath, configMap("v", labels: ["v": "not valid!"])).status == 422)
            #expect(try client.post(configMapsPath, configMap("ok", labels: ["example.com/My_key.1": "v-1"])).status == 201)
            // Updates and patches are validated too.
            #expect(try client.patch(configMapsPath + "/ok", .merge, #"{"metadata":{"labels":{"a b":"x"}}}"#).status == 422)
        }
    }

    // resource.Quantity canonical form (apimachinery quantity_test.go TestQuantityCanonicalize
    // style): kube-apiserver stores what it decoded, re-encoded canonically.
    @Test("container resource quantities are stored in canonical form")
    func quantitiesCanonicalized() throws {
        try withServer { _, client throws in
            let created = try #require(try client.post(Self.podsPath, pod("p", limits: ["memory": "1024Mi", "cpu": "1000m", "ephemeral-storage": "1.5Gi"])).json)
            let limits = created[path: ["spec", "containers"]]?.arrayValue?.first?[path: ["resources", "limits"]]
            #expect(limits == ["memory": "1Gi", "cpu": "1", "ephemeral-storage": "1536Mi"])
            let got = try #require(try client.get(Self.podsPath + "/p").json)
            #expect(got[path: ["spec", "containers"]]?.arrayValue?.first?[path: ["resources", "requests", "cpu"]] == "1")
            // Pod templates of workloads too.
            var d = deployment("d")
            d[path: ["spec", "template", "spec", "containers"]] = [["name": "main", "image": "nginx", "resources": ["requests": ["cpu": "0.5"]]]]
            let dep = try #require(try client.post("/apis/apps/v1/namespaces/default/deployments", d).json)
            #expect(dep[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?[path: ["resources", "requests", "cpu"]] == "500m")
            // Other quantity maps of built-in types: a PVC's requests, a quota's hard limits.
            let pvc = try #require(try client.post("/api/v1/namespaces/default/persistentvolumeclaims", [
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "2048Mi"]]],
            ]).json)
            #expect(pvc[path: ["spec", "resources", "requests", "storage"]] == "2Gi")
            let quota = try #require(try client.post("/api/v1/namespaces/default/resourcequotas", [
                "apiVersion": "v1", "kind": "ResourceQuota", "metadata": ["name": "q"], "spec": ["hard": ["pods": 10, "memory": "0.5Gi"]],
            ]).json)
            #expect(quota[path: ["spec", "hard"]] == ["pods": "10", "memory": "512Mi"])
        }
    }

    // kube-apiserver decodes quantities while decoding the body: "Pod in version "v1" cannot be
    // handled as a Pod: quantities must match the regular expression ..." (400 BadRequest);
    // a negative one passes decoding and fails validation (422, ValidateResourceQuantityValue).
    @Test("an invalid quantity is rejected: unparsable 400, negative 422")
    func invalidQuantities() throws {
        try withServer { _, client throws in
            let bad = try client.post(Self.podsPath, pod("bad", limits: ["cpu": "aoeu"]))
            #expect(bad.status == 400)
            #expect(bad.json?["message"]?.stringValue?.contains("cannot be handled as a Pod: quantities must match the regular expression") == true)
            let negative = try client.post(Self.podsPath, pod("neg", limits: ["cpu": "-1"]))
            #expect(negative.status == 422)
            #expect(negative.json?[path: ["details", "causes"]]?.arrayValue?.first?["field"] == "spec.containers[0].resources.limits[cpu]")
            _ = try client.post(Self.podsPath, pod("p", limits: ["cpu": "1"]))
            #expect(try client.patch(Self.podsPath + "/p", .json, #"[{"op":"replace","path":"/spec/containers/0/resources/limits/cpu","value":"aoeu"}]"#).status == 400)
        }
    }

    // kube-apiserver patch handler: custom resources have no strategic merge schema, so the
    // 415 lists only json-patch, merge-patch and apply-patch.
    @Test("the 415 for a strategic merge patch on a custom resource leaves strategic merge out")
    func strategicPatchOnCustomResource() throws {
        try withServer { _, client throws in
            #expect(try client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", LifecycleTests.crd).status == 201)
            let widgets = "/apis/example.com/v1/namespaces/default/widgets"
            _ = try client.post(widgets, ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"]])
            let response = try client.patch(widgets + "/w", .strategic, #"{"spec":{"a":1}}"#)
            #expect(response.status == 415)
            #expect(response.json?["message"] == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
            // Built-in types still list strategic merge for an unknown patch type.
            let unknown = try client.request("PATCH", configMapsPath + "/x", body: Array("{}".utf8), contentType: "application/x-unknown")
            #expect(unknown.status == 415)
            #expect(unknown.json?["message"] == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml")
        }
    }

    // kube-apiserver: a Foreground delete adds the foregroundDeletion finalizer and sets
    // deletionTimestamp, answering 200 with the object (handlers/delete.go answers 202 only
    // for orphanDependents=false); the garbage collector removes the owner after its dependents.
    @Test("a Foreground delete answers 200 with the object carrying deletionTimestamp and the foregroundDeletion finalizer")
    func foregroundDelete() throws {
        try withServer { _, client throws in
            let deployments = "/apis/apps/v1/namespaces/default/deployments"
            let owner = try #require(try client.post(deployments, deployment("o")).json)
            var held = configMap("held")
            held[path: ["metadata", "ownerReferences"]] = [[
                "apiVersion": "apps/v1", "kind": "Deployment", "name": "o",
                "uid": owner[path: ["metadata", "uid"]] ?? "", "blockOwnerDeletion": true,
            ]]
            held[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            _ = try client.post(configMapsPath, held)
            let response = try client.delete(deployments + "/o", ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": "Foreground"])
            #expect(response.status == 200)
            #expect(response.json?["kind"] == "Deployment")
            #expect(response.json?[path: ["metadata", "deletionTimestamp"]] != nil)
            #expect(response.json?[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            #expect(try client.get(deployments + "/o").status == 200)
            _ = try client.patch(configMapsPath + "/held", .merge, #"{"metadata":{"finalizers":null}}"#)
            #expect(try client.get(deployments + "/o").status == 404)

            // Without dependents the object is shown the same way, then goes at once.
            _ = try client.post(deployments, deployment("lone"))
            let lone = try client.delete(deployments + "/lone", ["propagationPolicy": "Foreground"])
            #expect(lone.status == 200)
            #expect(lone.json?[path: ["metadata", "finalizers"]] == ["foregroundDeletion"])
            #expect(try client.get(deployments + "/lone").status == 404)
        }
    }

    // fields.ParseSelector skips empty terms; fields.UnescapeValue rejects an unescaped '='.
    @Test("field selectors: trailing comma accepted, unescaped = in a value is 400")
    func fieldSelectors() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a"))
            let list = try client.get(configMapsPath + "?fieldSelector=metadata.name%3Da%2C")
            #expect(list.status == 200)
            #expect(list.json?.items.compactMap(\.name) == ["a"])
            #expect(try client.get(configMapsPath + "?fieldSelector=metadata.name%3Da%3Db").status == 400)
        }
    }
}
