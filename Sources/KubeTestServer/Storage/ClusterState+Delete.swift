import KubeCore

/// What a DELETE request asked for (from the DeleteOptions body or the query).
struct DeleteRequest: Sendable {
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun = false
    /// `orphanDependents: false` given explicitly: the one case kube-apiserver answers a
    /// delete that did not finish at once with 202 instead of 200.
    var orphanDependentsFalse = false

    init(body: JSON?, query: [String: String]) {
        orphanDependentsFalse = body?["orphanDependents"]?.boolValue == false || query["orphanDependents"] == "false"
        propagationPolicy = body?["propagationPolicy"]?.stringValue ?? query["propagationPolicy"]
        if body?["orphanDependents"]?.boolValue == true || query["orphanDependents"] == "true" {
            propagationPolicy = propagationPolicy ?? "Orphan"
        }
        preconditionUID = body?[path: ["preconditions", "uid"]]?.stringValue
        preconditionResourceVersion = body?[path: ["preconditions", "resourceVersion"]]?.stringValue
        dryRun = !(body?["dryRun"]?.arrayValue ?? []).isEmpty || query["dryRun"] != nil
    }

    init() {}
}

extension ClusterState {
    /// DELETE of one object. Returns the object and whether it is gone (false: it has
    /// finalizers and now carries a deletionTimestamp).
    mutating func delete(_ resource: ResourceInfo, namespace: String?, name: String,
                         request: DeleteRequest) throws(Status) -> (StoredObject, gone: Bool) {
        let key = resource.namespaced ? (namespace ?? "") + "/" + name : name
        guard let old = object(resource.storageKey, key) else {
            throw Status.notFound(group: resource.group, resource: resource.name, name: name)
        }
        if let uid = request.preconditionUID, uid != old.uid {
            throw Status.conflict(group: resource.group, resource: resource.name, name: name,
                                  message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.uid)")
        }
        if let rv = request.preconditionResourceVersion, rv != String(old.resourceVersion) {
            throw Status.conflict(group: resource.group, resource: resource.name, name: name,
                                  message: "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(old.resourceVersion)")
        }
        if request.dryRun { return (old, true) }
        if old.isDeleting { return (old, false) }
        let policy = request.propagationPolicy ?? "Background"
        if policy == "Orphan" { orphanDependents(of: old.uid) }
        var finalizers = old.finalizers
        // As kube-apiserver: a Foreground delete always adds the finalizer and answers with
        // the object; the garbage collector (here: right below) removes it with the last dependent.
        if policy == "Foreground" && resource.storageKey != "namespaces" && !finalizers.contains("foregroundDeletion") {
            finalizers.append("foregroundDeletion")
        }
        if resource.storageKey == "namespaces" {
            return (deleteNamespace(old), object("namespaces", old.key) == nil)
        }
        if finalizers.isEmpty {
            return (removeNow(resource.storageKey, json: old.json, previous: old), true)
        }
        var new = old.json
        new[path: ["metadata", "deletionTimestamp"]] = .string(ObjectRules.timestamp())
        new[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
        new[path: ["metadata", "finalizers"]] = .array(finalizers.map { .string($0) })
        let stored = commit(.modified, storageKey: resource.storageKey, json: new, previous: old)
        if policy == "Foreground" {
            deleteDependents(of: old.uid, policy: "Foreground")
            releaseForegroundOwner(stored.uid)
        }
        return (object(resource.storageKey, stored.key) ?? stored, false)
    }

    /// Removes an object now, then lets the garbage collector and the namespace and CRD
    /// cleanup react.
    @discardableResult
    mutating func removeNow(_ storageKey: String, json: JSON, previous: StoredObject) -> StoredObject {
        let removed = commit(.deleted, storageKey: storageKey, json: json, previous: previous)
        if storageKey == CRDSupport.storageKey { removeCustomResources(ofCRD: removed) }
        deleteDependents(of: removed.uid, policy: "Background")
        for owner in removed.ownerUIDs { releaseForegroundOwner(owner) }
        if !removed.namespace.isEmpty, let ns = object("namespaces", removed.namespace), ns.isDeleting {
            finishNamespaceIfEmpty(ns)
        }
        return removed
    }

    /// Garbage collection: dependents whose owners are all gone (or deleting in the
    /// foreground) are deleted with the given policy.
    mutating func deleteDependents(of uid: String, policy: String) {
        guard let refs = dependents[uid], !refs.isEmpty else { return }
        for ref in refs.sorted(by: { $0.key < $1.key }) {
            guard let dependent = object(ref.storageKey, ref.key), !dependent.isDeleting else { continue }
            let otherOwnersAlive = dependent.ownerUIDs.contains { owner in
                owner != uid && ownerExists(owner)
            }
            if otherOwnersAlive { continue }
            guard let resource = anyResource(forStorageKey: ref.storageKey) else { continue }
            var request = DeleteRequest()
            request.propagationPolicy = policy
            _ = try? delete(resource, namespace: dependent.namespace.isEmpty ? nil : dependent.namespace,
                            name: dependent.name, request: request)
        }
    }

    func ownerExists(_ uid: String) -> Bool { byUID[uid] != nil }

    /// Orphan policy: dependents lose their ownerReferences to the owner.
    mutating func orphanDependents(of uid: String) {
        guard let refs = dependents[uid] else { return }
        for ref in refs {
            guard let dependent = object(ref.storageKey, ref.key) else { continue }
            var json = dependent.json
            let kept = (json[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
            json[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
            commit(.modified, storageKey: ref.storageKey, json: json, previous: dependent)
        }
    }

    /// Foreground deletion: once an owner has no blocking dependents left (as the garbage
    /// collector's `blockingDependents`: those whose reference to it has `blockOwnerDeletion:
    /// true`), its foregroundDeletion finalizer goes, and with it (if it was the last) the owner.
    mutating func releaseForegroundOwner(_ uid: String) {
        let blocking = (dependents[uid] ?? []).contains { ref in
            let refs = object(ref.storageKey, ref.key)?.json[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            return refs.contains { $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true }
        }
        guard !blocking else { return }
        guard let ref = byUID[uid], let owner = object(ref.storageKey, ref.key),
              owner.isDeleting, owner.finalizers.contains("foregroundDeletion") else { return }
        var json = owner.json
        let rest = owner.finalizers.filter { $0 != "foregroundDeletion" }
        json[path: ["metadata", "finalizers"]] = rest.isEmpty ? nil : .array(rest.map { .string($0) })
        if rest.isEmpty {
            removeNow(ref.storageKey, json: json, previous: owner)
        } else {
            commit(.modified, storageKey: ref.storageKey, json: json, previous: owner)
        }
    }

    /// A resource (any served version) for a storage key.
    func anyResource(forStorageKey key: String) -> ResourceInfo? {
        registry.versions(ofStorageKey: key).first
    }

    /// Namespace deletion: the namespace turns Terminating, its content is deleted, and
    /// the namespace goes once nothing is left (objects with finalizers hold it).
    mutating func deleteNamespace(_ ns: StoredObject) -> StoredObject {
        var json = ns.json
        json[path: ["metadata", "deletionTimestamp"]] = .string(ObjectRules.timestamp())
        json[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
        json[path: ["status", "phase"]] = "Terminating"
        var current = commit(.modified, storageKey: "namespaces", json: json, previous: ns)
        for storageKey in objects.keys.sorted() where storageKey != "namespaces" {
            let victims = (objects[storageKey] ?? [:]).values.filter { $0.namespace == ns.name && !$0.isDeleting }
            guard !victims.isEmpty, let resource = anyResource(forStorageKey: storageKey) else { continue }
            for victim in victims.sorted(by: { $0.key < $1.key }) {
                _ = try? delete(resource, namespace: ns.name, name: victim.name, request: DeleteRequest())
            }
        }
        if let still = object("namespaces", ns.name) {
            current = still
            finishNamespaceIfEmpty(still)
        }
        return object("namespaces", ns.name) ?? current
    }

    mutating func finishNamespaceIfEmpty(_ ns: StoredObject) {
        for (storageKey, byKey) in objects where storageKey != "namespaces" {
            if byKey.values.contains(where: { $0.namespace == ns.name }) { return }
        }
        if ns.finalizers.isEmpty {
            commit(.deleted, storageKey: "namespaces", json: ns.json, previous: ns)
        }
    }

    /// CRD deletion: its objects go (watchers see DELETED), its watches end, its resources stop being served.
    mutating func removeCustomResources(ofCRD crd: StoredObject) {
        let infos = registry.unregister(crd: crd.name)
        guard let first = infos.first else { return }
        let storageKey = first.storageKey
        for object in (objects[storageKey] ?? [:]).values.sorted(by: { $0.key < $1.key }) {
            commit(.deleted, storageKey: storageKey, json: object.json, previous: object)
        }
        objects[storageKey] = nil
        for watcher in (watchers.removeValue(forKey: storageKey) ?? [:]).values {
            watcher.sink.finish(abrupt: false)
        }
    }
}
