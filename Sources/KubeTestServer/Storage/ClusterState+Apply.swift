import KubeCore

/// Server-side apply (application/apply-patch+yaml), simplified:
///
/// - Each Apply manager owns the leaf field paths of its last applied configuration
///   (recorded in metadata.managedFields as FieldsV1 with operation Apply). Lists are
///   owned as a whole (atomic), unlike kube-apiserver's per-element ownership of
///   associative lists.
/// - Applying a value that differs from the live one on a path another Apply manager
///   owns is a 409 conflict unless force=true, which moves ownership.
/// - Fields a manager applied before and no longer applies are removed unless another
///   manager owns them.
/// - Update/patch callers are not recorded as managers, so they never conflict.
extension ClusterState {
    mutating func apply(_ resource: ResourceInfo, namespace: String?, name: String, body: [UInt8],
                        subresource: String?, fieldManager: String?, force: Bool, dryRun: Bool) throws(Status) -> (StoredObject, created: Bool) {
        guard let manager = fieldManager, !manager.isEmpty else {
            throw Status.invalid(group: "meta.k8s.io", kind: "PatchOptions", name: "", causes: [
                StatusCause(type: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager"),
            ])
        }
        var applied: JSON
        do { applied = try YAML.parse(String(decoding: body, as: UTF8.self)) } catch {
            throw Status.badRequest("error decoding YAML: \(error.description)")
        }
        guard case .object = applied else { throw Status.badRequest("apply patch must be an object") }
        if applied["apiVersion"]?.stringValue == nil || applied["kind"]?.stringValue == nil {
            throw Status.badRequest("invalid object type: apiVersion and kind are required for apply")
        }
        try checkTypeMeta(&applied, resource: resource)
        let appliedName = applied[path: ["metadata", "name"]]?.stringValue ?? ""
        if appliedName.isEmpty { applied[path: ["metadata", "name"]] = .string(name) }
        else if appliedName != name {
            throw Status.badRequest("the name of the object (\(appliedName)) does not match the name on the URL (\(name))")
        }
        let mine = Self.fieldPaths(applied)
        let now = ObjectRules.timestamp()
        func entry(_ paths: Set<[String]>) -> JSON {
            var e: JSON = ["manager": .string(manager), "operation": "Apply", "apiVersion": .string(resource.apiVersion),
                           "time": .string(now), "fieldsType": "FieldsV1", "fieldsV1": Self.fieldsV1(paths)]
            if let subresource { e["subresource"] = .string(subresource) }
            return e
        }
        let key = resource.namespaced ? (namespace ?? "") + "/" + name : name
        guard let old = object(resource.storageKey, key) else {
            if subresource != nil { throw Status.notFound(group: resource.group, resource: resource.name, name: name) }
            let created = try create(resource, namespace: namespace, body: applied, dryRun: dryRun,
                                     managedFields: .array([entry(mine)]))
            return (created, true)
        }
        // Ownership of the other managers, and conflicts with them.
        var others: [(JSON, Set<[String]>)] = []
        var previousMine: Set<[String]> = []
        for e in old.json[path: ["metadata", "managedFields"]]?.arrayValue ?? [] {
            let paths = Self.paths(fromFieldsV1: e["fieldsV1"] ?? [:])
            if e["manager"]?.stringValue == manager && e["subresource"]?.stringValue == subresource {
                previousMine = paths
            } else {
                others.append((e, paths))
            }
        }
        var conflicts: [(String, [String])] = []
        for (e, paths) in others {
            for path in paths.intersection(mine).sorted(by: { $0.lexicographicallyPrecedes($1) }) where old.json[path: path] != applied[path: path] {
                conflicts.append((e["manager"]?.stringValue ?? "", path))
            }
        }
        if !conflicts.isEmpty && !force {
            let causes = conflicts.map { StatusCause(type: "FieldManagerConflict", message: "conflict with \"\($0.0)\"", field: "." + $0.1.joined(separator: ".")) }
            throw Status(code: 409, reason: .conflict, message: Self.conflictMessage(conflicts),
                         details: StatusDetails(causes: causes))
        }
        var ownedByOthers: Set<[String]> = []
        var managedFields: [JSON] = []
        for (e, paths) in others {
            let kept = force ? paths.subtracting(mine) : paths
            ownedByOthers.formUnion(kept)
            if kept.isEmpty && e["operation"]?.stringValue == "Apply" { continue }
            var updated = e
            if kept != paths { updated["fieldsV1"] = Self.fieldsV1(kept) }
            managedFields.append(updated)
        }
        managedFields.append(entry(mine))
        var merged = VersionConverter.json(old, as: resource)
        for path in previousMine.subtracting(mine).subtracting(ownedByOthers) {
            if merged[path: path] != nil { merged[path: path] = nil }
        }
        var patch = applied
        patch[path: ["metadata", "managedFields"]] = nil
        if resource.isCustom {
            merged = JSONMergePatch.apply(patch, to: merged)
        } else {
            do { merged = try StrategicMergePatch.apply(patch, to: merged, schema: SchemaStore.shared?.root(for: resource.gvk)) } catch {
                throw Status(code: 422, reason: .invalid, message: error.message)
            }
        }
        merged[path: ["metadata", "managedFields"]] = .array(managedFields)
        merged[path: ["metadata", "resourceVersion"]] = nil
        return (try update(resource, namespace: namespace, name: name, body: merged, subresource: subresource, dryRun: dryRun), false)
    }

    /// apimachinery fieldmanager `getConflictMessage`: one conflict on one line; several
    /// grouped by manager (sorted), one "- path" line each.
    static func conflictMessage(_ conflicts: [(manager: String, path: [String])]) -> String {
        func field(_ path: [String]) -> String { "." + path.joined(separator: ".") }
        if conflicts.count == 1 {
            return "Apply failed with 1 conflict: conflict with \"\(conflicts[0].manager)\": \(field(conflicts[0].path))"
        }
        var lines: [String] = []
        for manager in Set(conflicts.map(\.manager)).sorted() {
            lines.append("conflicts with \"\(manager)\":")
            for conflict in conflicts where conflict.manager == manager { lines.append("- \(field(conflict.path))") }
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }

    /// Leaf paths of an applied configuration (objects recurse; lists and scalars are leaves).
    static func fieldPaths(_ json: JSON) -> Set<[String]> {
        var result: Set<[String]> = []
        func walk(_ value: JSON, _ path: [String]) {
            if case .object(let o) = value, !o.isEmpty {
                for (k, v) in o { walk(v, path + [k]) }
            } else if !path.isEmpty {
                result.insert(path)
            }
        }
        var body = json
        body["apiVersion"] = nil
        body["kind"] = nil
        body[path: ["metadata", "name"]] = nil
        body[path: ["metadata", "namespace"]] = nil
        body[path: ["metadata", "managedFields"]] = nil
        if body["metadata"]?.objectValue?.isEmpty == true { body["metadata"] = nil }
        walk(body, [])
        return result
    }

    /// FieldsV1 encoding: {"f:spec":{"f:replicas":{}}}.
    static func fieldsV1(_ paths: Set<[String]>) -> JSON {
        var root: JSON = [:]
        for path in paths {
            root[path: path.map { "f:" + $0 }] = .object([:])
        }
        return root
    }

    static func paths(fromFieldsV1 json: JSON) -> Set<[String]> {
        var result: Set<[String]> = []
        func walk(_ value: JSON, _ path: [String]) {
            let children = (value.objectValue ?? [:]).filter { $0.key.hasPrefix("f:") }
            if children.isEmpty {
                if !path.isEmpty { result.insert(path) }
                return
            }
            for (k, v) in children { walk(v, path + [String(k.dropFirst(2))]) }
        }
        walk(json, [])
        return result
    }
}
