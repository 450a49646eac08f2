// Patch engines (KubeCore/Patch): JSON merge patch, JSON patch, strategic merge patch.
//
// Input: a document, NUL, a patch (both JSON; the document may also be YAML). The same patch
// goes through every engine, the strategic one with and without a schema node.
// Oracles: a merge patch is idempotent; `diff` produces a merge patch that rebuilds the
// result; without a schema and without `$` directives a strategic merge patch is a merge patch.
import KubeCore

/// The strategic merge schema excerpt the KubeCore tests use (Pod, containers merged by name,
/// ports by containerPort, volumes with retainKeys, finalizers as a merged set).
private let schema = PatchSchema(definitions: (try? JSON.parse(#"""
{"$defs": {
  "io.k8s.api.core.v1.Pod": {
    "x-kubernetes-group-version-kind": [{"group": "", "kind": "Pod", "version": "v1"}],
    "properties": {
      "metadata": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
      "spec": {"$ref": "#/$defs/io.k8s.api.core.v1.PodSpec"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    "properties": {
      "labels": {"type": "object", "additionalProperties": {"type": "string"}},
      "finalizers": {"type": "array", "items": {"type": "string"}, "x-kubernetes-patch-strategy": "merge"},
      "ownerReferences": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference"},
                          "x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge"}
    }
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference": {"properties": {"uid": {"type": "string"}}},
  "io.k8s.api.core.v1.PodSpec": {
    "properties": {
      "containers": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.api.core.v1.Container"},
                     "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "volumes": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.api.core.v1.Volume"},
                  "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge,retainKeys"},
      "tolerations": {"type": "array", "items": {"type": "object"}},
      "nodeSelector": {"type": "object", "additionalProperties": {"type": "string"}}
    }
  },
  "io.k8s.api.core.v1.Container": {
    "properties": {
      "name": {"type": "string"},
      "args": {"type": "array", "items": {"type": "string"}},
      "env": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.api.core.v1.EnvVar"},
              "x-kubernetes-patch-merge-key": "name", "x-kubernetes-patch-strategy": "merge"},
      "ports": {"type": "array", "items": {"$ref": "#/$defs/io.k8s.api.core.v1.ContainerPort"},
                "x-kubernetes-patch-merge-key": "containerPort", "x-kubernetes-patch-strategy": "merge"}
    }
  },
  "io.k8s.api.core.v1.EnvVar": {"properties": {"name": {"type": "string"}, "value": {"type": "string"}}},
  "io.k8s.api.core.v1.ContainerPort": {"properties": {"containerPort": {"type": "integer"}}},
  "io.k8s.api.core.v1.Volume": {"properties": {"name": {"type": "string"}, "emptyDir": {"type": "object"}}}
}}
"""#)) ?? .null)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let (documentBytes, patchBytes) = fuzzSplit(fuzzBytes(start, count))
    let document: JSON
    if let json = try? JSON.parse(bytes: documentBytes) {
        document = json
    } else if let yaml = try? YAML.parse(String(decoding: documentBytes, as: UTF8.self)) {
        document = yaml
    } else {
        return 0
    }
    if document["$defs"] != nil || document["definitions"] != nil {
        let built = PatchSchema(definitions: document)
        _ = built.definitionCount
    }
    guard let patch = try? JSON.parse(bytes: patchBytes) else { return 0 }

    // JSON merge patch.
    let merged = JSONMergePatch.apply(patch, to: document)
    guard JSONMergePatch.apply(patch, to: merged) == merged else {
        fuzzFailure("merge patch is not idempotent: \(fuzzExcerpt(patchBytes))")
    }
    if !hasNullMember(merged) {
        let diff = JSONMergePatch.diff(from: document, to: merged)
        guard JSONMergePatch.apply(diff, to: document) == merged else {
            fuzzFailure("diff does not rebuild the merge result: doc \(fuzzExcerpt(documentBytes)) patch \(fuzzExcerpt(patchBytes))")
        }
    }

    // JSON patch.
    _ = try? JSONPatch.apply(patch, to: document)

    // Strategic merge patch, schemaless and with the Pod schema.
    let schemaless = try? StrategicMergePatch.apply(patch, to: document, schema: nil)
    // Replacing lists differ by design: strategic merge cleans nulls out of the maps in a
    // replacement list (apimachinery does), a merge patch copies the list verbatim.
    if case .object = patch, case .object = document, !hasDirective(patch), !hasNullInList(patch, inList: false) {
        guard let schemaless else {
            fuzzFailure("schemaless strategic merge patch without directives failed: \(fuzzExcerpt(patchBytes))")
        }
        guard schemaless == merged else {
            fuzzFailure("schemaless strategic merge patch differs from the merge patch: doc \(fuzzExcerpt(documentBytes)) patch \(fuzzExcerpt(patchBytes))")
        }
    }
    let pod = schema.root(for: GroupVersionKind(apiVersion: "v1", kind: "Pod"))
    _ = try? StrategicMergePatch.apply(patch, to: document, schema: pod)
    return 0
}

/// A `null` member of an object (at any depth): merge patches cannot produce one, so `diff`
/// cannot describe it.
private func hasNullMember(_ value: JSON) -> Bool {
    switch value {
    case .array(let items): return items.contains(where: hasNullMember)
    case .object(let members): return members.values.contains { $0.isNull || hasNullMember($0) }
    default: return false
    }
}

/// A `null` anywhere inside a list.
private func hasNullInList(_ value: JSON, inList: Bool) -> Bool {
    switch value {
    case .null: return inList
    case .array(let items): return items.contains { hasNullInList($0, inList: true) }
    case .object(let members): return members.values.contains { hasNullInList($0, inList: inList) }
    default: return false
    }
}

/// A key starting with `$` (a strategic merge directive) in any object of the patch.
private func hasDirective(_ value: JSON) -> Bool {
    switch value {
    case .array(let items): return items.contains(where: hasDirective)
    case .object(let members): return members.contains { $0.key.hasPrefix("$") || hasDirective($0.value) }
    default: return false
    }
}
