import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime

@Suite("Cached objects")
struct CachedObjectTests {
    @Test("metadata fields are extracted from the bytes without a tree")
    func extractsMetadata() throws {
        let text = """
        { "kind": "Pod", "metadata": { "name": "web-1", "namespace": "prod", "resourceVersion": "42",
          "uid": "u1", "labels": { "app": "web", "tier": "fr\\u00f8nt" }, "annotations": {"a": "{\\"x\\": [1]}"} },
          "spec": { "containers": [ { "name": "c", "args": ["}", "]"] } ] } }
        """
        let object = try CachedObject(bytes: Array(text.utf8))
        #expect(object.name == "web-1")
        #expect(object.namespace == "prod")
        #expect(object.key == "prod/web-1")
        #expect(object.resourceVersion == "42")
        #expect(object.uid == "u1")
        #expect(object.labels == ["app": "web", "tier": "frønt"])
        // Compacted, and still the same JSON.
        #expect(!object.bytes.contains(0x0A))
        #expect(try object.json() == JSON.parse(text))
    }

    @Test("cluster-scoped objects are keyed by name")
    func clusterScoped() throws {
        let object = try CachedObject(json: ["metadata": ["name": "node-a"]])
        #expect(object.key == "node-a")
        #expect(object.namespace == "")
    }

    @Test("an object without a name is refused")
    func refusesNameless() {
        #expect(throws: KubeError.self) { try CachedObject(json: ["metadata": ["namespace": "x"]]) }
        #expect(throws: KubeError.self) { try CachedObject(bytes: Array("[1,2]".utf8)) }
        #expect(throws: KubeError.self) { try CachedObject(bytes: Array("{\"metadata\":{\"name\":\"a\"".utf8)) }
    }

    @Test("dropping managedFields cuts exactly that member wherever it sits")
    func dropsManagedFields() throws {
        let managed = #"[{"manager":"kubectl","fieldsV1":{"f:metadata":{"f:labels":{}}}}]"#
        let texts = [
            #"{"metadata":{"managedFields":MF,"name":"a","namespace":"n"},"data":{"k":"v"}}"#,
            #"{"metadata":{"name":"a","managedFields":MF,"namespace":"n"},"data":{"k":"v"}}"#,
            #"{"metadata":{"name":"a","namespace":"n","managedFields":MF},"data":{"k":"v"}}"#,
            #"{"metadata":{"name":"a","namespace":"n","managedFields" : MF },"data":{"k":"v"}}"#,
        ]
        for text in texts {
            let bytes = Array(text.replacingOccurrences(of: "MF", with: managed).utf8)
            let object = try ObjectTransform.dropManagedFields.makeObject(bytes)
            #expect(try object.json() == ["metadata": ["name": "a", "namespace": "n"], "data": ["k": "v"]])
            #expect(object.key == "n/a")
        }
    }

    @Test("list bodies are split into items that get the list's kind and apiVersion")
    func splitsLists() throws {
        let body = """
        {"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"77","continue":"abc"},
         "items":[{"metadata":{"name":"a","namespace":"x"}}, {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"b"}}, {}]}
        """
        let page = try RawListPage(body: Array(body.utf8))
        #expect(page.resourceVersion == "77")
        #expect(page.continueToken == "abc")
        #expect(page.items.count == 3)
        #expect(try JSON.parse(bytes: page.items[0]) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "namespace": "x"]])
        #expect(try JSON.parse(bytes: page.items[1]) == ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["name": "b"]])
        #expect(try JSON.parse(bytes: page.items[2]) == ["apiVersion": "v1", "kind": "ConfigMap"])
    }

    @Test("a custom transform edits the tree before caching")
    func customTransform() throws {
        let t = ObjectTransform.custom { $0["data"] = nil }
        let object = try t.makeObject(Array(#"{"metadata":{"name":"a"},"data":{"big":"x"}}"#.utf8))
        #expect(try object.json() == ["metadata": ["name": "a"]])
    }
}
