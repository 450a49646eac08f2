import KubeCore

extension ClusterState {
    /// PATCH of the main resource or the status/scale subresource. Returns the stored
    /// object and whether server-side apply created it.
    mutating func patch(_ resource: ResourceInfo, namespace: String?, name: String, type: PatchType,
                        body: [UInt8], subresource: String?, fieldManager: String?, force: Bool,
                        dryRun: Bool) throws(Status) -> (StoredObject, created: Bool) {
        let key = resource.namespaced ? (namespace ?? "") + "/" + name : name
        if type == .apply {
            return try apply(resource, namespace: namespace, name: name, body: body, subresource: subresource,
                             fieldManager: fieldManager, force: force, dryRun: dryRun)
        }
        let patchJSON: JSON
        do { patchJSON = try JSON.parse(bytes: body) } catch {
            throw Status.badRequest("error decoding patch: \(error.message)")
        }
        guard let old = object(resource.storageKey, key) else {
            throw Status.notFound(group: resource.group, resource: resource.name, name: name)
        }
        let isScale = subresource == "scale"
        let base = isScale ? ScaleSupport.scale(of: old, resource: resource) : VersionConverter.json(old, as: resource)
        var patched: JSON
        switch type {
        case .merge:
            guard case .object = patchJSON else { throw Status.badRequest("error decoding patch: merge patch must be a JSON object") }
            patched = JSONMergePatch.apply(patchJSON, to: base)
        case .json:
            guard case .array(let operations) = patchJSON else { throw Status.badRequest("error decoding patch: json patch must be a JSON array") }
            // handlers/patch.go: maxJSONPatchOperations, then a failed apply is
            // NewGenericServerResponse(422): the generic message, evanphx's text as the cause.
            if operations.count > 10_000 {
                throw Status(code: 413, reason: .requestEntityTooLarge,
                             message: "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got \(operations.count)")
            }
            do { patched = try JSONPatch.apply(patchJSON, to: base) } catch {
                throw Status(code: 422, reason: .invalid, message: "the server rejected our request due to an error in our request",
                             details: StatusDetails(causes: [StatusCause(type: "UnexpectedServerResponse", message: error.message, field: "")]))
            }
        case .strategic:
            if resource.isCustom { throw Status.unsupportedPatchType(custom: true) }
            guard case .object = patchJSON else { throw Status.badRequest("error decoding patch: strategic merge patch must be a JSON object") }
            let gvk = isScale ? GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale") : resource.gvk
            do { patched = try StrategicMergePatch.apply(patchJSON, to: base, schema: SchemaStore.shared?.root(for: gvk)) } catch {
                throw Self.strategicMergeStatus(error)
            }
        case .apply:
            patched = base  // handled above
        }
        if isScale {
            return (try updateScale(resource, old: old, scale: patched, dryRun: dryRun), false)
        }
        if patched[path: ["metadata", "name"]]?.stringValue != name {
            throw Status.badRequest("the name of the object (\(patched[path: ["metadata", "name"]]?.stringValue ?? "")) does not match the name on the URL (\(name))")
        }
        return (try update(resource, namespace: namespace, name: name, body: patched, subresource: subresource, dryRun: dryRun), false)
    }

    /// kube-apiserver's `interpretStrategicMergePatchError`: a directive of the wrong form is a
    /// 400; every other strategic merge error (contradicting `$setElementOrder`, a missing merge
    /// key, an unknown `$patch`) is returned as a plain error, i.e. a 500 with no reason.
    static func strategicMergeStatus(_ error: PatchError) -> Status {
        if error.kind == .badDirectiveFormat { return Status.badRequest(error.message) }
        return Status(code: 500, reason: .unknown, message: error.message)
    }

    /// PUT or PATCH of autoscaling/v1 Scale: only spec.replicas reaches the object.
    mutating func updateScale(_ resource: ResourceInfo, old: StoredObject, scale: JSON, dryRun: Bool) throws(Status) -> StoredObject {
        if let rv = scale[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty, rv != String(old.resourceVersion) {
            throw Status.conflict(group: resource.group, resource: resource.name, name: old.name)
        }
        guard let replicas = scale[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
            throw Status.invalid(group: "autoscaling", kind: "Scale", name: old.name, causes: [
                StatusCause(type: "FieldValueInvalid", message: "Invalid value: must be greater than or equal to 0", field: "spec.replicas"),
            ])
        }
        var json = old.json
        json[path: ScaleSupport.paths(resource).specReplicas] = .int(replicas)
        if ObjectRules.specChanged(old: old.json, new: json, resource: resource),
           let generation = old.json[path: ["metadata", "generation"]]?.intValue {
            json[path: ["metadata", "generation"]] = .int(generation + 1)
        }
        return try finishUpdate(resource, old: old, new: json, dryRun: dryRun)
    }
}

/// autoscaling/v1 Scale views of deployments, replicasets, statefulsets and custom resources.
enum ScaleSupport {
    static func paths(_ resource: ResourceInfo) -> ResourceInfo.ScalePaths {
        resource.scalePaths ?? .init(specReplicas: ["spec", "replicas"], statusReplicas: ["status", "replicas"],
                                     labelSelector: nil)
    }

    static func scale(of object: StoredObject, resource: ResourceInfo) -> JSON {
        let p = paths(resource)
        var metadata: JSON = [
            "name": .string(object.name),
            "uid": .string(object.uid),
            "resourceVersion": .string(String(object.resourceVersion)),
        ]
        if !object.namespace.isEmpty { metadata["namespace"] = .string(object.namespace) }
        metadata["creationTimestamp"] = object.json[path: ["metadata", "creationTimestamp"]]
        var status: JSON = ["replicas": .int(object.json[path: p.statusReplicas]?.intValue ?? 0)]
        if let selectorPath = p.labelSelector {
            if let s = object.json[path: selectorPath]?.stringValue { status["selector"] = .string(s) }
        } else if let labels = object.json[path: ["spec", "selector", "matchLabels"]]?.objectValue {
            let text = labels.keys.sorted().compactMap { k in labels[k]?.stringValue.map { "\(k)=\($0)" } }.joined(separator: ",")
            status["selector"] = .string(text)
        }
        return [
            "kind": "Scale",
            "apiVersion": "autoscaling/v1",
            "metadata": metadata,
            "spec": ["replicas": .int(object.json[path: p.specReplicas]?.intValue ?? 0)],
            "status": status,
        ]
    }
}
