import KubeCore
import KubeTestServer
import Testing

@Suite("Patch types over HTTP")
struct PatchTests {
    @Test("merge patch (RFC 7386) sets and removes fields")
    func merge() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", data: ["x": "1", "y": "2"]))
            let r = try client.patch(configMapsPath + "/a", .merge, #"{"data":{"x":null,"z":"3"}}"#)
            #expect(r.status == 200)
            #expect(r.json?["data"] == ["y": "2", "z": "3"])
        }
    }

    @Test("JSON patch (RFC 6902) applies operations and a failed test is 422")
    func jsonPatch() throws {
        try withServer { _, client throws in
            _ = try client.post(configMapsPath, configMap("a", data: ["x": "1"]))
            let ok = try client.patch(configMapsPath + "/a", .json,
                                      #"[{"op":"test","path":"/data/x","value":"1"},{"op":"replace","path":"/data/x","value":"2"},{"op":"add","path":"/data/y","value":"3"}]"#)
            #expect(ok.json?["data"] == ["x": "2", "y": "3"])
            let failed = try client.patch(configMapsPath + "/a", .json, #"[{"op":"test","path":"/data/x","value":"nope"}]"#)
            #expect(failed.status == 422)
            #expect(try client.patch(configMapsPath + "/a", .json, "[{").status == 400)
        }
    }

    @Test("strategic merge patch merges containers by name")
    func strategic() throws {
        try withServer { _, client throws in
            let path = "/apis/apps/v1/namespaces/default/deployments"
            _ = try client.post(path, deployment("web"))
            let r = try client.patch(path + "/web", .strategic,
                                     #"{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox"},{"name":"main","image":"nginx:1.26"}]}}}}"#)
            #expect(r.status == 200)
            let containers = try #require(r.json?[path: ["spec", "template", "spec", "containers"]]?.arrayValue)
            #expect(Set(containers.compactMap { $0["name"]?.stringValue }) == ["main", "side"])
            #expect(containers.first { $0["name"] == "main" }?["image"] == "nginx:1.26")
            let deleted = try client.patch(path + "/web", .strategic,
                                           #"{"spec":{"template":{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}}}"#)
            #expect(deleted.json?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.count == 1)
        }
    }

    @Test("server-side apply creates, needs a field manager, and detects conflicts unless forced")
    func apply() throws {
        try withServer { _, client throws in
            let yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  k: one\n"
            #expect(try client.patch(configMapsPath + "/s", .apply, yaml).status == 422)
            let created = try client.patch(configMapsPath + "/s", .apply, yaml, query: "?fieldManager=alice")
            #expect(created.status == 201)
            #expect(created.json?[path: ["metadata", "managedFields"]]?[0]?["manager"] == "alice")
            let other = yaml.replacingOccurrences(of: "one", with: "two")
            let conflict = try client.patch(configMapsPath + "/s", .apply, other, query: "?fieldManager=bob")
            #expect(conflict.status == 409)
            #expect(conflict.json?[path: ["details", "causes"]]?[0]?["field"] == ".data.k")
            let forced = try client.patch(configMapsPath + "/s", .apply, other, query: "?fieldManager=bob&force=true")
            #expect(forced.status == 200)
            #expect(forced.json?[path: ["data", "k"]] == "two")
            // alice no longer owns data.k; applying without it keeps bob's value.
            let again = try client.patch(configMapsPath + "/s", .apply, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  other: x\n", query: "?fieldManager=alice")
            #expect(again.json?["data"] == ["k": "two", "other": "x"])
        }
    }
}
