import Testing
@testable import KubeCore

/// A hand-written excerpt of the Kubernetes definitions (same shape as definitions-v1.37.0.json).
let definitionsExcerpt = #"""
{"$defs": {
  "io.k8s.api.core.v1.Pod": {
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}],
    "properties": {
      "apiVersion": {"type": ["string", "null"]},
      "metadata": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
      "spec": {"$ref": "#/$defs/io.k8s.api.core.v1.PodSpec"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    "properties": {
      "labels": {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}},
      "finalizers": {"type": ["array", "null"], "items": {"type": ["string", "null"]},
                     "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge"},
      "ownerReferences": {"type": ["array", "null"], "items": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"},
                          "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {"properties": {"uid": {"type": "string"}}},
  "io.k8s.api.core.v1.PodSpec": {
    "properties": {
      "containers": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.api.core.v1.Container"},
                     "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "volumes": {"type": ["array", "null"], "items": {"$ref": "#/$defs/io.k8s.api.core.v1.Volume"},
                  "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys"},
      "tolerations": {"type": ["array", "null"], "items": {"type": "object", "properties": {"key": {"type": "string"}}}},
      "nodeSelector": {"type": ["object", "null"], "additionalProperties": {"type": "string"}}
    }
  },
  "io.k8s.api.core.v1.Container": {
    "properties": {
      "name": {"type": "string"},
      "image": {"type": ["string", "null"]},
      "args": {"type": ["array", "null"], "items": {"type": ["string", "null"]}},
      "env": {"type": ["array", "null"], "items": {"$ref": "#/$defs/io.k8s.api.core.v1.EnvVar"},
              "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "ports": {"type": ["array", "null"], "items": {"$ref": "#/$defs/io.k8s.api.core.v1.ContainerPort"},
                "x-kubernetes-patch-merge-key": "containerPort", "x-kubernetes-patch-strategy": "merge"},
      "resources": {"type": "object", "properties": {"limits": {"type": "object", "additionalProperties": {"type": "string"}}}}
    }
  },
  "io.k8s.api.core.v1.EnvVar": {"properties": {"name": {"type": "string"}, "value": {"type": ["string", "null"]}}},
  "io.k8s.api.core.v1.ContainerPort": {"properties": {"containerPort": {"type": "integer"}, "protocol": {"type": "string"}}},
  "io.k8s.api.core.v1.Volume": {"properties": {"name": {"type": "string"}, "emptyDir": {"type": "object"}, "hostPath": {"type": "object"}}}
}}
"""#

@Suite("Strategic merge patch")
struct StrategicMergePatchTests {
    let schema: PatchSchema
    let pod: PatchSchema.Node?

    init() throws {
        schema = PatchSchema(definitions: try JSON.parse(definitionsExcerpt))
        pod = schema.root(for: GroupVersionKind(apiVersion: "v1", kind: "Pod"))
    }

    let original = #"""
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "web", "labels": {"app": "web", "tier": "fe"}, "finalizers": ["a", "b"]},
     "spec": {"containers": [
        {"name": "nginx", "image": "nginx:1.7", "args": ["-x"], "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
         "ports": [{"containerPort": 80}]},
        {"name": "sidecar", "image": "busybox"}],
      "volumes": [{"name": "data", "emptyDir": {}}],
      "tolerations": [{"key": "a"}, {"key": "b"}]}}
    """#

    func apply(_ patch: String) throws -> JSON {
        try StrategicMergePatch.apply(json(patch), to: json(original), schema: pod)
    }

    @Test("the schema answers merge keys and strategies per field")
    func schemaNodes() throws {
        let podNode = try #require(pod)
        #expect(podNode.name == "io.k8s.api.core.v1.Pod")
        let spec = try #require(podNode.child("spec"))
        #expect(spec.isMergeList("containers"))
        #expect(spec.mergeKey("containers") == "name")
        #expect(spec.field("volumes")?.retainsKeys == true)
        #expect(!spec.isMergeList("tolerations"))
        #expect(spec.child("tolerations")?.field("key") != nil)
        let container = try #require(spec.child("containers"))
        #expect(container.name == "io.k8s.api.core.v1.Container")
        #expect(container.mergeKey("ports") == "containerPort")
        #expect(container.child("resources")?.child("limits") != nil)
        #expect(schema.root(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment")) == nil)
    }

    // apimachinery mergeSlice ends in normalizeElementOrder: the patch's items keep the patch's
    // order, and a server-only item goes before a patch item only when both are in the live
    // list in that order, so a new item lands before the server-only ones after it (the
    // kubectl patch task page shows patch-demo-ctr-2 above patch-demo-ctr; kustomize#2907
    // calls this "prepend").
    @Test("containers merge by name: matching items merge, new ones come before later server-only items")
    func containersByName() throws {
        let result = try apply(#"{"spec": {"containers": [{"name": "nginx", "image": "nginx:1.14"}, {"name": "log", "image": "fluentd"}]}}"#)
        let containers = try #require(result[path: ["spec", "containers"]]?.arrayValue)
        #expect(containers.map { $0["name"]?.stringValue } == ["nginx", "log", "sidecar"])
        #expect(containers[0]["image"] == "nginx:1.14")
        #expect(containers[0]["args"] == ["-x"])
        #expect(containers[0]["env"]?.arrayValue?.count == 2)
        #expect(containers[2]["image"] == "busybox")
    }

    @Test("nested merge lists merge too (env by name, ports by containerPort)")
    func nestedLists() throws {
        let result = try apply(#"""
        {"spec": {"containers": [{"name": "nginx",
            "env": [{"name": "B", "value": "20"}, {"name": "C", "value": "3"}],
            "ports": [{"containerPort": 443}]}]}}
        """#)
        let nginx = try #require(result[path: ["spec", "containers"]]?[0])
        #expect(nginx["env"] == (try json(#"[{"name":"A","value":"1"},{"name":"B","value":"20"},{"name":"C","value":"3"}]"#)))
        #expect(nginx["ports"] == (try json(#"[{"containerPort":443},{"containerPort":80}]"#)))
    }

    @Test("$patch: delete removes a list item by merge key, and a map")
    func deleteDirective() throws {
        let result = try apply(#"{"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}]}, "metadata": {"labels": {"$patch": "delete"}}}"#)
        #expect(result[path: ["spec", "containers"]]?.arrayValue?.map { $0["name"] } == ["nginx"])
        #expect(result[path: ["metadata", "labels"]] == nil)
        #expect(result[path: ["metadata", "name"]] == "web")
    }

    @Test("$patch: replace replaces a map or a whole merge list")
    func replaceDirective() throws {
        let map = try apply(#"{"metadata": {"labels": {"$patch": "replace", "only": "this"}}}"#)
        #expect(map[path: ["metadata", "labels"]] == ["only": "this"])
        let list = try apply(#"{"spec": {"containers": [{"$patch": "replace"}, {"name": "solo", "image": "x"}]}}"#)
        #expect(list[path: ["spec", "containers"]] == [["name": "solo", "image": "x"]])
    }

    @Test("null deletes a field and lists without merge strategy are replaced")
    func nullAndReplaceLists() throws {
        let result = try apply(#"""
        {"metadata": {"labels": {"tier": null}}, "spec": {"tolerations": [{"key": "c"}],
         "containers": [{"name": "nginx", "args": ["-y", "-z"], "image": null}]}}
        """#)
        #expect(result[path: ["metadata", "labels"]] == ["app": "web"])
        #expect(result[path: ["spec", "tolerations"]] == [["key": "c"]])
        let nginx = result[path: ["spec", "containers"]]?[0]
        #expect(nginx?["args"] == ["-y", "-z"])
        #expect(nginx?["image"] == nil)
    }

    @Test("primitive lists with merge strategy are unioned; $deleteFromPrimitiveList removes")
    func primitiveLists() throws {
        let union = try apply(#"{"metadata": {"finalizers": ["b", "c"]}}"#)
        #expect(union[path: ["metadata", "finalizers"]] == ["a", "b", "c"])
        let removed = try apply(#"{"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}}"#)
        #expect(removed[path: ["metadata", "finalizers"]] == ["b"])
    }

    @Test("$retainKeys drops the fields not listed (volume source switch)")
    func retainKeys() throws {
        let result = try apply(#"""
        {"spec": {"volumes": [{"name": "data", "hostPath": {"path": "/x"}, "$retainKeys": ["name", "hostPath"]}]}}
        """#)
        #expect(result[path: ["spec", "volumes"]] == [["name": "data", "hostPath": ["path": "/x"]]])
    }

    @Test("$setElementOrder reorders a merged list")
    func setElementOrder() throws {
        let result = try apply(#"""
        {"spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "nginx"}],
                  "containers": [{"name": "nginx", "image": "nginx:2"}]}}
        """#)
        #expect(result[path: ["spec", "containers"]]?.arrayValue?.map { $0["name"] } == ["sidecar", "nginx"])
        // Server-only items keep their place relative to the items the patch orders.
        let document = try json(#"{"l": [{"name": "a"}, {"name": "x"}, {"name": "b"}]}"#)
        let node = try #require(PatchSchema(definitions: json(#"""
        {"$defs": {"T": {"x-kubernetes-group-version-kind": [{"group": "g", "version": "v1", "kind": "T"}],
          "properties": {"l": {"type": "array", "items": {"type": "object"}, "x-kubernetes-patch-strategy": "merge",
                               "x-kubernetes-patch-merge-key": "name"}}}}}
        """#)).root(for: GroupVersionKind(apiVersion: "g/v1", kind: "T")))
        let ordered = try StrategicMergePatch.apply(json(#"""
        {"$setElementOrder/l": [{"name": "b"}, {"name": "a"}, {"name": "c"}], "l": [{"name": "c"}]}
        """#), to: document, schema: node)
        // apimachinery mergeSortedSlice: x (original position 1) goes before b (position 2).
        #expect(ordered["l"]?.arrayValue?.map { $0["name"] } == ["x", "b", "a", "c"])
    }

    @Test("list items without the merge key and unknown directives are errors")
    func errors() throws {
        #expect(throws: PatchError.self) { try apply(#"{"spec": {"containers": [{"image": "x"}]}}"#) }
        #expect(throws: PatchError.self) { try apply(#"{"metadata": {"$patch": "explode"}}"#) }
        #expect(throws: PatchError.self) { try apply(#"[1]"#) }
    }

    @Test("without a schema every list is replaced, as with a merge patch")
    func noSchema() throws {
        let result = try StrategicMergePatch.apply(json(#"{"spec": {"containers": [{"name": "x"}]}, "metadata": {"labels": null}}"#),
                                                   to: json(original), schema: nil)
        #expect(result[path: ["spec", "containers"]] == [["name": "x"]])
        #expect(result[path: ["metadata", "labels"]] == nil)
    }
}
