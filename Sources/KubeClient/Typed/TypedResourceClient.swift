import KubeCore

/// Every verb on one kind, with objects as typed values: the typed face of
/// `DynamicResource` (client-go's generated typed clients, as one generic type).
///
/// Get one from the generated accessors (`client.coreV1.pods(namespace: "default")`,
/// `client.appsV1.deployments(namespace:)`, `client.coreV1.nodes()`), or for any
/// `KubeResource` type, custom resources included: `TypedResourceClient<CronTab>(client:namespace:)`.
///
/// A value type, cheap to copy, safe from any thread; every call blocks the calling
/// thread. Errors are `KubeError`: `.api(Status)` for server answers (check
/// `isNotFound`, `isConflict`, …), `.decoding` when the answer does not fit `Resource`
/// (the message names the JSON path).
///
/// Namespace rules are the dynamic client's: with a nil namespace, list, watch and
/// deleteCollection of a namespaced kind span all namespaces, and create/update/apply
/// use the object's `metadata.namespace`.
public struct TypedResourceClient<Resource: KubeResource>: Sendable {
    /// The untyped client underneath (raw JSON verbs, same scope).
    public let dynamic: DynamicResource

    /// A client for `Resource` in `namespace` (nil: cluster scope, or all namespaces).
    public init(client: KubeClient, namespace: String? = nil) {
        let identity = Resource.identity
        dynamic = client.resource(identity.groupVersionResource).namespace(identity.namespaced ? namespace : nil)
    }

    /// The namespace scope, nil for cluster-scoped kinds or all namespaces.
    public var namespace: String? { dynamic.namespace }

    /// GET one object.
    public func get(_ name: String, resourceVersion: String? = nil) throws(KubeError) -> Resource {
        let body = try dynamic.getRaw(name, resourceVersion: resourceVersion)
        return try TypedCoding.decode(Resource.self, from: body, what: "get \(kindName) \(name)")
    }

    /// One LIST call (a single page when `options.limit` is set; pass the returned
    /// list's continue token in the next call's `options.continueToken`).
    public func list(_ options: ListOptions = ListOptions()) throws(KubeError) -> Resource.List {
        let body = try dynamic.listRaw(options)
        return try TypedCoding.decodeList(Resource.List.self, from: body, what: "list \(Resource.identity.plural)")
    }

    /// POST a new object; returns it as stored (with uid, resourceVersion, defaults).
    public func create(_ object: Resource, fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> Resource {
        let body = try TypedCoding.encode(object, identity: Resource.identity).serializedBytes()
        let answer = try dynamic.createRaw(body, namespace: object.metadata?.namespace, fieldManager: fieldManager,
                                           dryRun: dryRun)
        return try TypedCoding.decode(Resource.self, from: answer, what: "create \(kindName)")
    }

    /// PUT the whole object. Its `metadata.resourceVersion` guards against lost updates:
    /// when someone else changed the object first the call throws `isConflict`; get it
    /// again, reapply the change and retry (see `updateWithRetry`).
    public func update(_ object: Resource, fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> Resource {
        try put(object, subresource: nil, fieldManager: fieldManager, dryRun: dryRun)
    }

    /// PUT the object's `status` subresource (the rest of the object is ignored by the server).
    public func updateStatus(_ object: Resource, fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> Resource {
        try put(object, subresource: "status", fieldManager: fieldManager, dryRun: dryRun)
    }

    /// Read-modify-write with optimistic concurrency: gets `name`, applies `change`, updates;
    /// on a conflict starts again, up to `attempts` times (client-go's `RetryOnConflict`).
    public func updateWithRetry(_ name: String, attempts: Int = 5,
                                _ change: (inout Resource) throws(KubeError) -> Void) throws(KubeError) -> Resource {
        var attempt = 0
        while true {
            attempt += 1
            var object = try get(name)
            try change(&object)
            do throws(KubeError) {
                return try update(object)
            } catch {
                if !error.isConflict || attempt >= max(1, attempts) { throw error }
            }
        }
    }

    /// PATCH with a JSON Patch (array), merge patch or strategic merge patch document.
    public func patch(_ name: String, _ patch: JSON, type: PatchType, subresource: String? = nil,
                      options: PatchOptions = PatchOptions()) throws(KubeError) -> Resource {
        if type == .apply { throw .invalidArgument("use apply(_:options:) for server-side apply") }
        let body = try dynamic.patchRaw(name, patch.serializedBytes(), type: type, subresource: subresource,
                                        options: options)
        return try TypedCoding.decode(Resource.self, from: body, what: "patch \(kindName) \(name)")
    }

    /// Server-side apply of `object` (an apply configuration: set only the fields you own).
    /// apiVersion and kind are filled in from the type when nil.
    public func apply(_ object: Resource, options: ApplyOptions, subresource: String? = nil) throws(KubeError) -> Resource {
        guard let name = object.metadata?.name, !name.isEmpty else { throw .invalidArgument("apply needs metadata.name") }
        let body = try TypedCoding.encode(object, identity: Resource.identity).serializedBytes()
        let answer = try dynamic.applyRaw(name, body, options: options, subresource: subresource,
                                          namespace: object.metadata?.namespace)
        return try TypedCoding.decode(Resource.self, from: answer, what: "apply \(kindName) \(name)")
    }

    /// Server-side apply to the `status` subresource.
    public func applyStatus(_ object: Resource, options: ApplyOptions) throws(KubeError) -> Resource {
        try apply(object, options: options, subresource: "status")
    }

    /// DELETE one object. Returns the object when the server answers with it (it still has
    /// finalizers or a grace period), nil when it answers with a success Status.
    @discardableResult
    public func delete(_ name: String, options: DeleteOptions = DeleteOptions()) throws(KubeError) -> Resource? {
        let body = try dynamic.deleteRaw(name, options: options)
        let json: JSON
        do {
            json = try JSON.parse(bytes: body)
        } catch {
            throw .decoding("malformed JSON from the server for delete \(name): \(error)")
        }
        if json["kind"]?.stringValue == "Status" { return nil }
        return try TypedCoding.decode(Resource.self, from: json, what: "delete \(kindName) \(name)")
    }

    /// DELETE every object matching `listOptions` (label/field selectors) in the scope.
    public func deleteCollection(_ options: DeleteOptions = DeleteOptions(),
                                 listOptions: ListOptions = ListOptions()) throws(KubeError) {
        try dynamic.deleteCollection(options, listOptions: listOptions)
    }

    // MARK: helpers

    var kindName: String { Resource.identity.kind }

    private func put(_ object: Resource, subresource: String?, fieldManager: String?, dryRun: Bool) throws(KubeError) -> Resource {
        guard let name = object.metadata?.name, !name.isEmpty else { throw .invalidArgument("update needs metadata.name") }
        let body = try TypedCoding.encode(object, identity: Resource.identity).serializedBytes()
        let answer = try dynamic.updateRaw(name, body, subresource: subresource, namespace: object.metadata?.namespace,
                                           fieldManager: fieldManager, dryRun: dryRun)
        return try TypedCoding.decode(Resource.self, from: answer, what: "update \(kindName) \(name)")
    }
}
