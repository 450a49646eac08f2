import KubeCore
import KubeTestServer
import Testing

/// resource.Quantity fields outside container resources are decoded (and so canonicalized or
/// refused) like any other: kube-apiserver decodes the whole typed object, every Quantity
/// through Quantity.UnmarshalJSON, and writes it back in canonical form.
@Suite("quantities outside container resources")
struct QuantityFieldsTests {
    @Test("emptyDir sizeLimit and StatefulSet volume claim templates are canonicalized; an invalid sizeLimit is 400")
    func otherQuantityFields() throws {
        try withServer { _, client throws in
            let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                             "spec": ["containers": [["name": "c", "image": "x"]],
                                      "volumes": [["name": "scratch", "emptyDir": ["sizeLimit": "1024Mi"]]]]]
            let created = try #require(try client.post("/api/v1/namespaces/default/pods", pod).json)
            #expect(created[path: ["spec", "volumes"]]?.arrayValue?.first?[path: ["emptyDir", "sizeLimit"]] == "1Gi")

            var bad = pod
            bad[path: ["metadata", "name"]] = "bad"
            bad[path: ["spec", "volumes"]] = [["name": "scratch", "emptyDir": ["sizeLimit": "aoeu"]]]
            let refused = try client.post("/api/v1/namespaces/default/pods", bad)
            #expect(refused.status == 400)
            #expect(refused.json?["message"]?.stringValue?.contains("quantities must match the regular expression") == true)

            var set = deployment("s")
            set["kind"] = "StatefulSet"
            set[path: ["spec", "serviceName"]] = "s"
            set[path: ["spec", "volumeClaimTemplates"]] = [[
                "metadata": ["name": "data"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "0.5Gi"]]],
            ]]
            let statefulSet = try #require(try client.post("/apis/apps/v1/namespaces/default/statefulsets", set).json)
            #expect(statefulSet[path: ["spec", "volumeClaimTemplates"]]?.arrayValue?.first?[path: ["spec", "resources", "requests", "storage"]] == "512Mi")
        }
    }
}
