import FoundationEssentials
import Testing
@testable import KubeCore

@Suite("Unstructured objects")
struct UnstructuredTests {
    @Test("accessors read and write metadata")
    func accessors() throws {
        var object = try Unstructured(json: json(#"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","uid":"u1",
         "resourceVersion":"7","generation":2,"labels":{"app":"web"},"finalizers":["f"],
         "creationTimestamp":"2006-01-02T15:04:05Z",
         "ownerReferences":[{"apiVersion":"v1","kind":"X","name":"o","uid":"u0","controller":true}]},"spec":{"replicas":3}}
        """#))
        #expect(object.apiVersion == "apps/v1")
        #expect(object.kind == "Deployment")
        #expect(object.groupVersionKind == GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
        #expect(object.name == "web")
        #expect(object.namespace == "default")
        #expect(object.uid == "u1")
        #expect(object.resourceVersion == "7")
        #expect(object.generation == 2)
        #expect(object.labels == ["app": "web"])
        #expect(object.annotations == [:])
        #expect(object.finalizers == ["f"])
        #expect(object.ownerReferences == [OwnerReference(apiVersion: "v1", kind: "X", name: "o", uid: "u0", controller: true)])
        #expect(object.creationTimestamp?.timeIntervalSince1970 == 1_136_214_245)
        #expect(object.deletionTimestamp == nil)
        #expect(object[path: "spec", "replicas"] == 3)

        object.name = "api"
        object.labels = [:]
        object.annotations = ["a": "b"]
        object.finalizers = []
        object.generateName = "api-"
        object.deletionTimestamp = Date(timeIntervalSince1970: 0)
        object[path: "spec", "replicas"] = 5
        object[path: "status", "ready"] = true
        object[path: "spec", "paused"] = nil
        #expect(object.object[path: ["metadata", "name"]] == "api")
        #expect(object.object[path: ["metadata", "labels"]] == nil)
        #expect(object.object[path: ["metadata", "finalizers"]] == nil)
        #expect(object.annotations == ["a": "b"])
        #expect(object.generateName == "api-")
        #expect(object.object[path: ["metadata", "deletionTimestamp"]] == "1970-01-01T00:00:00Z")
        #expect(object[path: "spec"] == ["replicas": 5])
        #expect(object[path: "status", "ready"] == true)
    }

    @Test("a new object has type and name")
    func create() {
        let object = Unstructured(apiVersion: "v1", kind: "ConfigMap", name: "c", namespace: "ns")
        #expect(object.object == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "namespace": "ns"]])
    }

    @Test("non-objects are rejected", arguments: ["[]", "1", "null", #"{"metadata":[]}"#])
    func invalid(text: String) throws {
        let value = try json(text)
        #expect(throws: UnstructuredError.self) { try Unstructured(json: value) }
    }
}
