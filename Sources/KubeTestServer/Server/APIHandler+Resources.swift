import KubeCore

extension APIHandler {
    func parseBody(_ request: ServerRequest) throws(Status) -> JSON {
        if request.body.isEmpty { throw Status.badRequest("the body of the request was empty") }
        let contentType = request.headers["content-type"] ?? "application/json"
        if contentType.contains("yaml") {
            do { return try YAML.parse(String(decoding: request.body, as: UTF8.self)) } catch {
                throw Status.badRequest("the body of the request could not be decoded: \(error.description)")
            }
        }
        if contentType.contains("protobuf") {
            throw Status(code: 415, reason: .unsupportedMediaType,
                         message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml")
        }
        do { return try JSON.parse(bytes: request.body) } catch {
            throw Status.badRequest("the body of the request could not be decoded: \(error.description)")
        }
    }

    func listRequest(_ query: [String: String], resource: ResourceInfo) throws(Status) -> ListRequest {
        var r = ListRequest()
        if let s = query["labelSelector"], !s.isEmpty {
            do { r.labelSelector = try LabelSelector(parsing: s) } catch { throw Status.badRequest(error.description) }
        }
        if let s = query["fieldSelector"], !s.isEmpty {
            do { r.fieldSelector = try FieldSelector(parsing: s) } catch { throw Status.badRequest(error.description) }
            try ObjectFilter.validate(r.fieldSelector, resource: resource)
        }
        if let s = query["limit"], !s.isEmpty {
            guard let limit = Int(s), limit >= 0 else { throw Status.badRequest("invalid limit \"\(s)\"") }
            r.limit = limit == 0 ? nil : limit
        }
        r.continueToken = query["continue"]
        r.resourceVersion = query["resourceVersion"]
        if let m = query["resourceVersionMatch"], !m.isEmpty {
            guard m == "NotOlderThan" || m == "Exact" else {
                throw Status.invalid(group: "meta.k8s.io", kind: "ListOptions", name: "", causes: [
                    StatusCause(type: "FieldValueNotSupported", message: "Unsupported value: \"\(m)\": supported values: \"Exact\", \"NotOlderThan\"", field: "resourceVersionMatch"),
                ])
            }
            r.resourceVersionMatch = m
        }
        if let t = query["timeoutSeconds"], let seconds = Int(t) { r.timeoutSeconds = seconds }
        r.allowWatchBookmarks = query["allowWatchBookmarks"] == "true" || query["allowWatchBookmarks"] == "1"
        if let s = query["sendInitialEvents"] { r.sendInitialEvents = s == "true" || s == "1" }
        return r
    }

    func resourceRequest(_ request: ServerRequest, user: RequestUser, group: String, version: String,
                         rest input: [String], tables: ResourceRegistry.Tables) throws(Status) -> ServerResponse {
        var rest = input
        var watchPath = false
        if rest.first == "watch" {
            watchPath = true
            rest.removeFirst()
        }
        var namespace: String?
        if rest.count >= 3, rest[0] == "namespaces",
           let r = tables.resource(group: group, version: version, name: rest[2]), r.namespaced {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        guard let resourceName = rest.first, rest.count <= 3,
              let resource = tables.resource(group: group, version: version, name: resourceName) else {
            throw notFoundPath()
        }
        let name = rest.count > 1 ? rest[1] : nil
        let sub = rest.count > 2 ? rest[2] : nil
        if resource.namespaced && namespace == nil && name != nil { throw notFoundPath() }
        if let sub, resource.subresources[sub] == nil { throw notFoundPath() }
        if sub == "eviction", let name, let namespace {
            return try evict(request, user: user, resource: resource, namespace: namespace, name: name)
        }

        let verb: String
        switch request.method {
        case "GET", "HEAD":
            if name == nil { verb = (watchPath || request.flag("watch")) ? "watch" : "list" } else { verb = "get" }
        case "POST":
            guard name == nil else { throw Status.methodNotAllowed() }
            verb = "create"
        case "PUT":
            guard name != nil else { throw Status.methodNotAllowed() }
            verb = "update"
        case "PATCH":
            guard name != nil else { throw Status.methodNotAllowed() }
            verb = "patch"
        case "DELETE":
            verb = name == nil ? "deletecollection" : "delete"
        default:
            throw Status.methodNotAllowed()
        }
        let allowed = sub.flatMap { resource.subresources[$0]?.verbs } ?? resource.verbs
        if !allowed.contains(verb) { throw Status.methodNotAllowed() }
        if resource.namespaced && namespace == nil && (verb == "create" || verb == "deletecollection") {
            throw Status.methodNotAllowed()
        }
        if verb == "create" && Self.reviewResources.contains(resource.storageKey) {
            return review(resource, body: try parseBody(request), user: user)
        }
        if user.readOnly && !["get", "list", "watch"].contains(verb) {
            throw Status.forbidden(group: group, resource: sub.map { "\(resource.name)/\($0)" } ?? resource.name,
                                   name: name, verb: verb, user: user.name, namespace: namespace)
        }
        let dryRun = request.query["dryRun"] != nil
        let cluster = self.cluster
        if let sub, sub != "status" && sub != "scale" {
            // Logs are what tests appended (no kubelet); other subresources (exec, attach, ...) are absent.
            guard sub == "log", verb == "get", let name, let namespace else { throw notFoundPath() }
            return try podLog(request, resource: resource, namespace: namespace, name: name)
        }
        let metadataOnly = PartialObjectMetadata.requested(by: request.headers["accept"])
        let table = verb == "get" || verb == "list" || verb == "watch" ? try TablePrinter.requested(by: request.headers["accept"], query: request.query) : nil

        switch verb {
        case "get":
            guard let name else { throw notFoundPath() }
            let object = try cluster.withState { (s: inout ClusterState) throws(Status) in try s.get(resource, namespace: namespace, name: name) }
            if sub == "scale" { return .json(200, ScaleSupport.scale(of: object, resource: resource)) }
            if let table, sub == nil {
                let columns = try printerColumns(resource)
                return .json(200, table.table([object], resource: resource, columns: columns,
                                              metadata: ["resourceVersion": .string(String(object.resourceVersion))]))
            }
            if let metadataOnly {
                try metadataOnly.check(isList: false, resource: resource)
                return .bytes(200, metadataOnly.bytes(object))
            }
            return .bytes(200, VersionConverter.bytes(object, as: resource))
        case "list":
            let options = try listRequest(request.query, resource: resource)
            try metadataOnly?.check(isList: true, resource: resource)
            let page = try cluster.withState { (s: inout ClusterState) throws(Status) in try s.list(resource, namespace: namespace, request: options) }
            if let table {
                let columns = try printerColumns(resource)
                return .json(200, table.table(page.items, resource: resource, columns: columns, metadata: ListEncoder.listMetadata(page)))
            }
            if let metadataOnly { return .bytes(200, metadataOnly.listBytes(page)) }
            return .bytes(200, ListEncoder.encode(page, resource: resource))
        case "watch":
            let options = try listRequest(request.query, resource: resource)
            if let rv = options.resourceVersion, !rv.isEmpty, Int64(rv) == nil {
                throw Status.badRequest("invalid resource version \"\(rv)\"")
            }
            // Watch events carry single objects: both PartialObjectMetadata and (leniently)
            // PartialObjectMetadataList requests get PartialObjectMetadata events.
            var view: TablePrinter.View?
            if let table { view = TablePrinter.View(printer: table, columns: try printerColumns(resource)) }
            return .watch(WatchPlan(resource: resource, namespace: namespace, request: options, metadataOnly: metadataOnly, table: view))
        case "create":
            let body = try parseBody(request)
            try StrictFields.check(body, resource: resource, query: request.query)
            // A non-apply write records its field manager as an Update entry (fields not tracked).
            let managedFields: JSON? = request.query["fieldManager"].flatMap { manager in
                manager.isEmpty ? nil : .array([["manager": .string(manager), "operation": "Update",
                                                 "apiVersion": .string(resource.apiVersion),
                                                 "time": .string(ObjectRules.timestamp()),
                                                 "fieldsType": "FieldsV1", "fieldsV1": [:]]])
            }
            let object = try cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.create(resource, namespace: namespace, body: body, dryRun: dryRun, managedFields: managedFields)
            }
            return .bytes(201, VersionConverter.bytes(object, as: resource))
        case "update":
            guard let name else { throw notFoundPath() }
            let body = try parseBody(request)
            try StrictFields.check(body, resource: resource, query: request.query)
            if sub == "scale" {
                let object = try cluster.withState { (s: inout ClusterState) throws(Status) in
                    let old = try s.get(resource, namespace: namespace, name: name)
                    return try s.updateScale(resource, old: old, scale: body, dryRun: dryRun)
                }
                return .json(200, ScaleSupport.scale(of: object, resource: resource))
            }
            let object = try cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.update(resource, namespace: namespace, name: name, body: body, subresource: sub, dryRun: dryRun)
            }
            return .bytes(200, VersionConverter.bytes(object, as: resource))
        case "patch":
            guard let name else { throw notFoundPath() }
            let contentType = request.headers["content-type"] ?? ""
            guard let type = PatchType(contentType: contentType) else {
                throw Status.unsupportedPatchType(custom: resource.isCustom)
            }
            if request.body.isEmpty { throw Status.badRequest("the body of the request was empty") }
            let force = request.flag("force")
            if force && type != .apply {
                throw Status.invalid(group: "meta.k8s.io", kind: "PatchOptions", name: "", causes: [
                    StatusCause(type: "FieldValueForbidden", message: "Forbidden: may not be specified for non-apply patch", field: "force"),
                ])
            }
            let fieldManager = request.query["fieldManager"]
            let body = request.body
            // Strict validation of the object-shaped patches (an apply intent, a merge patch).
            if type == .apply || type == .merge, request.query["fieldValidation"] == "Strict",
               let document = try? YAML.parse(String(decoding: body, as: UTF8.self)) {
                try StrictFields.check(document, resource: resource, query: request.query)
            }
            let (object, created) = try cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.patch(resource, namespace: namespace, name: name, type: type, body: body, subresource: sub,
                            fieldManager: fieldManager, force: force, dryRun: dryRun)
            }
            if sub == "scale" { return .json(200, ScaleSupport.scale(of: object, resource: resource)) }
            return .bytes(created ? 201 : 200, VersionConverter.bytes(object, as: resource))
        case "delete":
            guard let name else { throw notFoundPath() }
            let body: JSON? = request.body.isEmpty ? nil : try parseBody(request)
            let options = DeleteRequest(body: body, query: request.query)
            let (object, gone) = try cluster.withState { (s: inout ClusterState) throws(Status) in
                try s.delete(resource, namespace: namespace, name: name, request: options)
            }
            if gone {
                let status = Status(code: 200, reason: .unknown, message: "",
                                    details: StatusDetails(name: name, group: group, kind: resource.name, uid: object.uid))
                var json = status.json()
                json["message"] = nil
                json["code"] = nil
                return .json(200, json)
            }
            // handlers/delete.go: 200 with the object unless orphanDependents=false was sent.
            return .bytes(options.orphanDependentsFalse ? 202 : 200, VersionConverter.bytes(object, as: resource))
        case "deletecollection":
            let options = try listRequest(request.query, resource: resource)
            let body: JSON? = request.body.isEmpty ? nil : try parseBody(request)
            let deleteOptions = DeleteRequest(body: body, query: request.query)
            let page = try cluster.withState { (s: inout ClusterState) throws(Status) in
                var unpaged = options
                unpaged.limit = nil
                unpaged.continueToken = nil
                var page = try s.list(resource, namespace: namespace, request: unpaged)
                var deleted: [StoredObject] = []
                for item in page.items {
                    if let (object, _) = try? s.delete(resource, namespace: item.namespace.isEmpty ? nil : item.namespace,
                                                       name: item.name, request: deleteOptions) {
                        deleted.append(object)
                    }
                }
                page.items = deleted
                page.resourceVersion = s.resourceVersion
                return page
            }
            return .bytes(200, ListEncoder.encode(page, resource: resource))
        default:
            throw Status.methodNotAllowed()
        }
    }
}

/// Builds list bodies by concatenating the stored bytes of the items.
enum ListEncoder {
    static func encode(_ page: ListPage, resource: ResourceInfo) -> [UInt8] {
        var total = 256
        for item in page.items { total += item.bytes.count + 1 }
        var out: [UInt8] = []
        out.reserveCapacity(total)
        out.append(contentsOf: #"{"apiVersion":""#.utf8)
        out.append(contentsOf: resource.apiVersion.utf8)
        out.append(contentsOf: #"","items":["#.utf8)
        var first = true
        for item in page.items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: VersionConverter.bytes(item, as: resource))
        }
        out.append(contentsOf: #"],"kind":""#.utf8)
        out.append(contentsOf: resource.listKind.utf8)
        out.append(contentsOf: #"","metadata":"#.utf8)
        listMetadata(page).write(to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The list's ListMeta: resourceVersion, continue, remainingItemCount.
    static func listMetadata(_ page: ListPage) -> JSON {
        var metadata: JSON = ["resourceVersion": .string(String(page.resourceVersion))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        return metadata
    }
}
