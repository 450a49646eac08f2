import KubeCore

/// Every verb on one resource type, with objects as `Unstructured` (client-go's
/// `dynamic.ResourceInterface`). Get one from `KubeClient.resource(_:)`, then scope it with
/// `namespace(_:)`. A value type; cheap to copy; safe to use from any thread.
///
/// Namespace rules: with no namespace, LIST and WATCH of a namespaced resource cover all
/// namespaces; create/update/apply fall back to the object's `metadata.namespace`.
/// Each verb also has a `…Raw` variant taking and returning JSON bytes, for callers (the C
/// ABI, caches) that want text and should not pay for a parse and re-serialization.
public struct DynamicResource: Sendable {
    public let rest: RESTClient
    public let resource: GroupVersionResource
    /// The namespace scope; nil = cluster-scoped resource or all namespaces.
    public let namespace: String?

    /// "pods/default" (namespace "*" for all): names the threads that serve this resource.
    public var threadLabel: String { "\(resource.resource)/\(namespace.map { $0.isEmpty ? "*" : $0 } ?? "*")" }

    public init(rest: RESTClient, resource: GroupVersionResource, namespace: String? = nil) {
        self.rest = rest
        self.resource = resource
        self.namespace = namespace
    }

    /// The same resource scoped to `namespace` (nil or "" = all namespaces / cluster scope).
    public func namespace(_ namespace: String?) -> DynamicResource {
        DynamicResource(rest: rest, resource: resource, namespace: namespace?.isEmpty == true ? nil : namespace)
    }

    // MARK: typed verbs

    /// GET one object (`subresource` e.g. "status", "scale").
    public func get(_ name: String, subresource: String? = nil, resourceVersion: String? = nil) throws(KubeError) -> Unstructured {
        try Self.object(getRaw(name, subresource: subresource, resourceVersion: resourceVersion), what: "get \(name)")
    }

    /// One LIST call (one page when `options.limit` is set; follow `continueToken` or use `listAll`).
    public func list(_ options: ListOptions = ListOptions()) throws(KubeError) -> UnstructuredList {
        let body = try listRaw(options)
        return try UnstructuredList(body: body, what: "list \(resource.groupResource)")
    }

    /// LIST following continue tokens in pages of `pageSize`; returns every item with the
    /// resourceVersion of the consistent snapshot. If a continue token expires (410), the
    /// list restarts once without paging, as client-go's pager does.
    public func listAll(_ options: ListOptions = ListOptions(), pageSize: Int = 500) throws(KubeError) -> UnstructuredList {
        var pageOptions = options
        pageOptions.limit = pageSize > 0 ? pageSize : nil
        pageOptions.continueToken = nil
        var result = UnstructuredList()
        var first = true
        while true {
            let page: UnstructuredList
            do throws(KubeError) {
                page = try list(pageOptions)
            } catch {
                if error.isGone, pageOptions.continueToken != nil {
                    var full = options
                    full.limit = nil
                    full.continueToken = nil
                    return try list(full)
                }
                throw error
            }
            if first {
                result.apiVersion = page.apiVersion
                result.kind = page.kind
                result.items.reserveCapacity(page.items.count + Int(page.remainingItemCount ?? 0))
                first = false
            }
            result.items.append(contentsOf: page.items)
            result.resourceVersion = page.resourceVersion
            guard let token = page.continueToken, !token.isEmpty else { break }
            pageOptions.continueToken = token
            // The continue token pins the snapshot; resourceVersion must not be sent with it.
            pageOptions.resourceVersion = nil
            pageOptions.resourceVersionMatch = nil
        }
        return result
    }

    /// POST a new object; returns it as stored.
    public func create(_ object: Unstructured, subresource: String? = nil, fieldManager: String? = nil,
                       dryRun: Bool = false, fieldValidation: FieldValidation? = nil) throws(KubeError) -> Unstructured {
        let name = subresource == nil ? nil : object.name
        let body = try createRaw(object.object.serializedBytes(), name: name, subresource: subresource,
                                 namespace: object.namespace, fieldManager: fieldManager, dryRun: dryRun,
                                 fieldValidation: fieldValidation)
        return try Self.object(body, what: "create \(resource.groupResource)")
    }

    /// PUT the whole object (its resourceVersion guards against lost updates: 409 Conflict).
    public func update(_ object: Unstructured, subresource: String? = nil, fieldManager: String? = nil,
                       dryRun: Bool = false, fieldValidation: FieldValidation? = nil) throws(KubeError) -> Unstructured {
        guard let name = object.name, !name.isEmpty else {
            throw .invalidArgument("update needs metadata.name")
        }
        let body = try updateRaw(name, object.object.serializedBytes(), subresource: subresource,
                                 namespace: object.namespace, fieldManager: fieldManager, dryRun: dryRun,
                                 fieldValidation: fieldValidation)
        return try Self.object(body, what: "update \(name)")
    }

    /// PUT the object's `status` subresource.
    public func updateStatus(_ object: Unstructured, fieldManager: String? = nil, dryRun: Bool = false) throws(KubeError) -> Unstructured {
        try update(object, subresource: "status", fieldManager: fieldManager, dryRun: dryRun)
    }

    /// PATCH with a JSON Patch (array), merge patch or strategic merge patch document.
    public func patch(_ name: String, _ patch: JSON, type: PatchType, subresource: String? = nil,
                      options: PatchOptions = PatchOptions()) throws(KubeError) -> Unstructured {
        if type == .apply {
            throw .invalidArgument("use apply(_:options:) for server-side apply")
        }
        let body = try patchRaw(name, patch.serializedBytes(), type: type, subresource: subresource, options: options)
        return try Self.object(body, what: "patch \(name)")
    }

    /// Server-side apply: PATCH `application/apply-patch+yaml` with the object's intent.
    /// The object needs apiVersion, kind and metadata.name.
    public func apply(_ object: Unstructured, options: ApplyOptions, subresource: String? = nil) throws(KubeError) -> Unstructured {
        guard let name = object.name, !name.isEmpty else {
            throw .invalidArgument("apply needs metadata.name")
        }
        guard object.apiVersion != nil, object.kind != nil else {
            throw .invalidArgument("apply needs apiVersion and kind")
        }
        let body = try applyRaw(name, object.object.serializedBytes(), options: options, subresource: subresource,
                                namespace: object.namespace)
        return try Self.object(body, what: "apply \(name)")
    }

    /// Server-side apply to the `status` subresource.
    public func applyStatus(_ object: Unstructured, options: ApplyOptions) throws(KubeError) -> Unstructured {
        try apply(object, options: options, subresource: "status")
    }

    /// DELETE one object. Returns the object when the server answers with it (e.g. it still
    /// has finalizers or a grace period), nil when it answers with a success Status.
    @discardableResult
    public func delete(_ name: String, options: DeleteOptions = DeleteOptions()) throws(KubeError) -> Unstructured? {
        let body = try deleteRaw(name, options: options)
        let json = try RESTClient.parseJSON(body, what: "delete \(name)")
        if json["kind"]?.stringValue == "Status" { return nil }
        do {
            return try Unstructured(json: json)
        } catch {
            throw .decoding("delete \(name): \(error)")
        }
    }

    /// DELETE every object matching `listOptions` (label/field selectors) in the scope.
    public func deleteCollection(_ options: DeleteOptions = DeleteOptions(),
                                 listOptions: ListOptions = ListOptions()) throws(KubeError) {
        var request = makeRequest(method: "DELETE", name: nil)
        request.addQuery(listOptions.queryItems)
        request.body = options.json().serializedBytes()
        request.contentType = "application/json"
        _ = try rest.send(request)
    }

    // MARK: raw verbs (JSON bytes in and out)

    /// GET; the object's JSON bytes as the server sent them.
    public func getRaw(_ name: String, subresource: String? = nil, resourceVersion: String? = nil,
                       cancellation: CancellationToken? = nil) throws(KubeError) -> [UInt8] {
        try requireName(name)
        try PodLogRequest.refuseObjectGet(resource, subresource: subresource)
        var request = makeRequest(method: "GET", name: name, subresource: subresource)
        if let resourceVersion { request.query.append(("resourceVersion", resourceVersion)) }
        return try rest.send(request, cancellation: cancellation).body
    }

    /// LIST; the list's JSON bytes (split items with `KubeCore.ListScan` if needed).
    /// `accept` replaces the Accept header, e.g. `MediaType.partialObjectMetadataList`.
    public func listRaw(_ options: ListOptions = ListOptions(), accept: String? = nil,
                        cancellation: CancellationToken? = nil) throws(KubeError) -> [UInt8] {
        var listOptions = options
        listOptions.watch = false
        var request = makeRequest(method: "GET", name: nil)
        request.addQuery(listOptions.queryItems)
        request.accept = accept
        return try rest.send(request, cancellation: cancellation).body
    }

    /// LIST, handing the body to `onChunk` as it arrives instead of returning it (split it
    /// with `KubeCore.JSONListSplitter`): the body is never held whole. `onChunk` answers
    /// false to stop. Errors as `listRaw`.
    public func listRaw(_ options: ListOptions, accept: String? = nil, cancellation: CancellationToken? = nil,
                        onChunk: (UnsafeRawBufferPointer) -> Bool) throws(KubeError) {
        var listOptions = options
        listOptions.watch = false
        var request = makeRequest(method: "GET", name: nil)
        request.addQuery(listOptions.queryItems)
        request.accept = accept
        try rest.receive(request, cancellation: cancellation, onBody: onChunk)
    }

    /// POST `body` (JSON). `namespace` overrides the scope when the resource handle has none.
    public func createRaw(_ body: [UInt8], name: String? = nil, subresource: String? = nil, namespace: String? = nil,
                          fieldManager: String? = nil, dryRun: Bool = false,
                          fieldValidation: FieldValidation? = nil) throws(KubeError) -> [UInt8] {
        var request = makeRequest(method: "POST", name: name, subresource: subresource, objectNamespace: namespace)
        request.addQuery(Self.writeQuery(fieldManager: fieldManager, dryRun: dryRun, fieldValidation: fieldValidation))
        request.body = body
        request.contentType = "application/json"
        do {
            return try rest.send(request).body
        } catch {
            // A namespaced resource POSTed without a namespace reaches the cluster-wide
            // collection, which only allows GET (405): say what is really missing.
            if error.httpCode == 405, (request.namespace ?? "").isEmpty, name == nil, isNamespaced() == true {
                throw .invalidArgument("\(resource.resource) is namespaced: the object has no metadata.namespace "
                    + "and the resource client has no namespace (.namespace(_:))")
            }
            throw error
        }
    }

    /// Whether discovery lists this resource as namespaced (nil when it cannot tell).
    func isNamespaced() -> Bool? {
        let path = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        guard let response = try? rest.raw(method: "GET", path: path),
              let list = try? JSON.parse(bytes: response.body),
              let entries = list["resources"]?.arrayValue else { return nil }
        for entry in entries where entry["name"]?.stringValue == resource.resource {
            return entry["namespaced"]?.boolValue
        }
        return nil
    }

    /// PUT `body` (JSON) to `name`.
    public func updateRaw(_ name: String, _ body: [UInt8], subresource: String? = nil, namespace: String? = nil,
                          fieldManager: String? = nil, dryRun: Bool = false,
                          fieldValidation: FieldValidation? = nil) throws(KubeError) -> [UInt8] {
        try requireName(name)
        var request = makeRequest(method: "PUT", name: name, subresource: subresource, objectNamespace: namespace)
        request.addQuery(Self.writeQuery(fieldManager: fieldManager, dryRun: dryRun, fieldValidation: fieldValidation))
        request.body = body
        request.contentType = "application/json"
        return try rest.send(request).body
    }

    /// PATCH `name` with a patch document of `type` (for `.apply` use `applyRaw`).
    public func patchRaw(_ name: String, _ patch: [UInt8], type: PatchType, subresource: String? = nil,
                         options: PatchOptions = PatchOptions()) throws(KubeError) -> [UInt8] {
        try requireName(name)
        var request = makeRequest(method: "PATCH", name: name, subresource: subresource)
        request.addQuery(options.queryItems)
        request.body = patch
        request.contentType = type.contentType
        return try rest.send(request).body
    }

    /// Server-side apply of `body` (JSON or YAML text of the object) to `name`.
    public func applyRaw(_ name: String, _ body: [UInt8], options: ApplyOptions, subresource: String? = nil,
                         namespace: String? = nil) throws(KubeError) -> [UInt8] {
        try requireName(name)
        guard !options.fieldManager.isEmpty else {
            throw .invalidArgument("server-side apply needs a fieldManager")
        }
        var request = makeRequest(method: "PATCH", name: name, subresource: subresource, objectNamespace: namespace)
        request.addQuery(options.queryItems)
        request.body = body
        request.contentType = PatchType.apply.contentType
        return try rest.send(request).body
    }

    /// DELETE `name`; the answer's JSON bytes (the object or a Status).
    public func deleteRaw(_ name: String, options: DeleteOptions = DeleteOptions()) throws(KubeError) -> [UInt8] {
        try requireName(name)
        var request = makeRequest(method: "DELETE", name: name)
        request.body = options.json().serializedBytes()
        request.contentType = "application/json"
        return try rest.send(request).body
    }

    // MARK: helpers

    func makeRequest(method: String, name: String?, subresource: String? = nil,
                     objectNamespace: String? = nil) -> APIRequest {
        var scope = namespace
        if scope == nil, let objectNamespace, !objectNamespace.isEmpty { scope = objectNamespace }
        return APIRequest(method: method, group: resource.group, version: resource.version, namespace: scope,
                          resource: resource.resource, name: name, subresource: subresource)
    }

    private func requireName(_ name: String) throws(KubeError) {
        if name.isEmpty { throw .invalidArgument("a resource name may not be empty") }
    }

    static func writeQuery(fieldManager: String?, dryRun: Bool, fieldValidation: FieldValidation? = nil) -> [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation.rawValue)) }
        return items
    }

    static func object(_ body: [UInt8], what: String) throws(KubeError) -> Unstructured {
        let json = try RESTClient.parseJSON(body, what: what)
        do {
            return try Unstructured(json: json)
        } catch {
            throw .decoding("\(what): \(error)")
        }
    }
}
