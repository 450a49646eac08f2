import KubeCore

extension ClusterState {
    /// Checks apiVersion/kind of a request body against the resource, then fills them in.
    func checkTypeMeta(_ object: inout JSON, resource: ResourceInfo) throws(Status) {
        guard case .object = object else {
            throw Status.badRequest("the body of the request was not a JSON object")
        }
        if let av = object["apiVersion"]?.stringValue, !av.isEmpty {
            let gv = GroupVersion(apiVersion: av)
            if gv.group != resource.group {
                throw Status.badRequest("the API version in the data (\(av)) does not match the expected API version (\(resource.apiVersion))")
            }
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != resource.kind {
            throw Status.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(resource.kind))")
        }
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        if object["metadata"] == nil { object["metadata"] = .object([:]) }
        guard case .object? = object["metadata"] else {
            throw Status.badRequest("metadata must be an object")
        }
    }

    /// POST: validates, fills in server-set metadata and stores the object.
    /// `keepStatus` (seeding) keeps a given .status that create would otherwise reset.
    mutating func create(_ resource: ResourceInfo, namespace: String?, body: JSON, dryRun: Bool = false,
                         keepStatus: Bool = false, managedFields: JSON? = nil) throws(Status) -> StoredObject {
        var object = body
        try checkTypeMeta(&object, resource: resource)
        var meta = object["metadata"]?.objectValue ?? [:]
        let urlNamespace = namespace ?? ""
        if resource.namespaced {
            let bodyNamespace = meta["namespace"]?.stringValue ?? ""
            let ns = urlNamespace.isEmpty ? bodyNamespace : urlNamespace
            if !bodyNamespace.isEmpty && !urlNamespace.isEmpty && bodyNamespace != urlNamespace {
                throw Status.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            if ns.isEmpty { throw Status.badRequest("the namespace of the object must be set") }
            meta["namespace"] = .string(ns)
        } else {
            meta["namespace"] = nil
        }
        var name = meta["name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = meta["generateName"]?.stringValue, !prefix.isEmpty {
            name = prefix + ObjectRules.randomSuffix()
            meta["name"] = .string(name)
        }
        if name.isEmpty {
            throw Status.invalid(group: resource.group, kind: resource.kind, name: "", causes: [
                StatusCause(type: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name"),
            ])
        }
        let problems = ObjectRules.nameProblems(name, resource: resource)
        if !problems.isEmpty {
            throw Status.invalid(group: resource.group, kind: resource.kind, name: name, causes: problems)
        }
        object["metadata"] = .object(meta)
        try ObjectValidation.check(&object, resource: resource)
        meta = object["metadata"]?.objectValue ?? [:]
        let ns = meta["namespace"]?.stringValue ?? ""
        if resource.namespaced {
            guard let nsObject = self.object("namespaces", ns) else {
                throw Status.notFound(group: "", resource: "namespaces", name: ns)
            }
            if nsObject.isDeleting {
                throw Status(code: 403, reason: .forbidden,
                             message: "\(resource.name) \"\(name)\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated",
                             details: StatusDetails(name: name, group: resource.group, kind: resource.name))
            }
        }
        let key = resource.namespaced ? ns + "/" + name : name
        if self.object(resource.storageKey, key) != nil {
            throw Status.alreadyExists(group: resource.group, resource: resource.name, name: name)
        }
        if !keepStatus, let rv = meta["resourceVersion"]?.stringValue, !rv.isEmpty {
            throw Status.badRequest("resourceVersion should not be set on objects to be created")
        }
        meta["uid"] = .string(ObjectRules.newUID())
        meta["creationTimestamp"] = .string(ObjectRules.timestamp())
        meta["resourceVersion"] = nil
        meta["deletionTimestamp"] = nil
        meta["deletionGracePeriodSeconds"] = nil
        meta["selfLink"] = nil
        meta["managedFields"] = managedFields
        object["metadata"] = .object(meta)
        if ObjectRules.hasGeneration(object, resource: resource) {
            object[path: ["metadata", "generation"]] = 1
        } else {
            object[path: ["metadata", "generation"]] = nil
        }
        if resource.hasStatus && !keepStatus {
            object["status"] = resource.isCustom ? nil : .object([:])
        }
        ObjectRules.applyCreateDefaults(&object, resource: resource)
        ObjectRules.normalize(&object, resource: resource)
        if resource.storageKey == CRDSupport.storageKey {
            try CRDSupport.prepare(&object)
            if !dryRun, let infos = try? CRDSupport.resources(of: object) {
                if let conflicting = infos.first(where: { registry.resource(group: $0.group, version: $0.version, name: $0.name).map { !$0.isCustom } ?? false }) {
                    throw Status.invalid(group: resource.group, kind: resource.kind, name: name, causes: [
                        StatusCause(type: "FieldValueInvalid", message: "Invalid value: \"\(conflicting.name)\": conflicts with a built-in resource", field: "spec.names.plural"),
                    ])
                }
            }
        }
        if dryRun { return StoredObject(json: object, resourceVersion: resourceVersion) }
        let stored = commit(.added, storageKey: resource.storageKey, json: object, previous: nil)
        if resource.storageKey == CRDSupport.storageKey, let infos = try? CRDSupport.resources(of: stored.json) {
            registry.register(crd: stored.name, resources: infos)
        }
        return stored
    }

    /// PUT (main resource or status subresource).
    mutating func update(_ resource: ResourceInfo, namespace: String?, name: String, body: JSON,
                         subresource: String?, dryRun: Bool = false) throws(Status) -> StoredObject {
        var object = body
        try checkTypeMeta(&object, resource: resource)
        let bodyName = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if bodyName != name {
            throw Status.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let ns = namespace ?? ""
        if resource.namespaced {
            let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
            if !bodyNamespace.isEmpty && bodyNamespace != ns {
                throw Status.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
        }
        let key = resource.namespaced ? ns + "/" + name : name
        guard let old = self.object(resource.storageKey, key) else {
            throw Status.notFound(group: resource.group, resource: resource.name, name: name)
        }
        if let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty, rv != String(old.resourceVersion) {
            throw Status.conflict(group: resource.group, resource: resource.name, name: name)
        }
        var new: JSON
        if subresource == "status" {
            new = VersionConverter.json(old, as: resource)
            new["status"] = object["status"]
        } else {
            new = object
            let oldMeta = old.json["metadata"]?.objectValue ?? [:]
            var meta = new["metadata"]?.objectValue ?? [:]
            for key in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace"] {
                meta[key] = oldMeta[key]
            }
            if meta["managedFields"] == nil { meta["managedFields"] = oldMeta["managedFields"] }
            if old.isDeleting {
                // Finalizers may only be removed once deletion started.
                let oldFinalizers = Set(old.finalizers)
                let kept = (meta["finalizers"]?.arrayValue ?? []).filter { $0.stringValue.map(oldFinalizers.contains) ?? false }
                meta["finalizers"] = kept.isEmpty ? nil : .array(kept)
            }
            meta["selfLink"] = nil
            new["metadata"] = .object(meta)
            if resource.hasStatus { new["status"] = old.json["status"] }
            ObjectRules.normalize(&new, resource: resource)
            if ObjectRules.specChanged(old: old.json, new: new, resource: resource),
               let generation = old.json[path: ["metadata", "generation"]]?.intValue {
                new[path: ["metadata", "generation"]] = .int(generation + 1)
            }
            if resource.storageKey == CRDSupport.storageKey { try CRDSupport.prepare(&new) }
        }
        return try finishUpdate(resource, old: old, new: new, dryRun: dryRun)
    }

    /// Stores an updated object: a no-op when nothing changed, a deletion when the last
    /// finalizer of a deleting object went away.
    mutating func finishUpdate(_ resource: ResourceInfo, old: StoredObject, new: JSON, dryRun: Bool) throws(Status) -> StoredObject {
        var new = new
        try ObjectValidation.check(&new, resource: resource)
        new[path: ["metadata", "resourceVersion"]] = .string(String(old.resourceVersion))
        new["apiVersion"] = old.json["apiVersion"]
        if new == old.json { return old }
        if dryRun { return StoredObject(json: new, resourceVersion: old.resourceVersion) }
        let deleting = new[path: ["metadata", "deletionTimestamp"]] != nil
        let finalizers = new[path: ["metadata", "finalizers"]]?.arrayValue ?? []
        if deleting && finalizers.isEmpty {
            new[path: ["metadata", "finalizers"]] = nil
            return removeNow(resource.storageKey, json: new, previous: old)
        }
        let stored = commit(.modified, storageKey: resource.storageKey, json: new, previous: old)
        if resource.storageKey == CRDSupport.storageKey, let infos = try? CRDSupport.resources(of: stored.json) {
            registry.register(crd: stored.name, resources: infos)
        }
        // A dependent that stops blocking (reference or blockOwnerDeletion dropped) may free
        // an owner waiting in foreground deletion, as the garbage collector notices.
        if old.json[path: ["metadata", "ownerReferences"]] != stored.json[path: ["metadata", "ownerReferences"]] {
            for owner in old.ownerUIDs { releaseForegroundOwner(owner) }
        }
        return stored
    }
}
