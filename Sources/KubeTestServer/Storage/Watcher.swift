import KubeCore

/// Where a watch stream's bytes go. Implemented by the HTTP layer; `send` must only
/// buffer (it is called with the cluster lock held).
protocol WatchSink: AnyObject, Sendable {
    func send(_ bytes: [UInt8])
    /// Ends the stream: cleanly (terminating chunk) or by dropping the connection.
    func finish(abrupt: Bool)
    /// Writes what was held back while watches were stalled.
    func resume()
    /// From now on drops everything and never ends the response: the connection stays up
    /// with no byte flowing, as when a network path silently dies.
    func blackhole()
}

/// One registered watch: its filter and its sink.
final class Watcher: Sendable {
    let id: Int
    let resource: ResourceInfo
    /// nil watches every namespace.
    let namespace: String?
    let labelSelector: LabelSelector
    let fieldSelector: FieldSelector
    let sink: WatchSink
    /// Events carry PartialObjectMetadata instead of the objects.
    let metadataOnly: PartialObjectMetadata?
    /// Events carry one-row Tables instead of the objects.
    let table: TablePrinter.View?

    init(id: Int, resource: ResourceInfo, namespace: String?, labelSelector: LabelSelector,
         fieldSelector: FieldSelector, sink: WatchSink, metadataOnly: PartialObjectMetadata? = nil,
         table: TablePrinter.View? = nil) {
        self.metadataOnly = metadataOnly
        self.table = table
        self.id = id
        self.resource = resource
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.sink = sink
    }

    func matches(_ object: StoredObject) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        return ObjectFilter.matches(object, resource: resource, labels: labelSelector, fields: fieldSelector)
    }

    /// Appends the event as this watcher sees it: a change that makes an object match
    /// arrives as ADDED, one that makes it stop matching as DELETED.
    func encode(_ event: HistoryEvent, into out: inout [UInt8]) {
        let now = matches(event.object)
        switch event.type {
        case .added:
            if now { encodeWatchEvent(.added, objectBytes: bytes(event.object), into: &out) }
        case .deleted:
            if now || (event.previous.map(matches) ?? false) {
                encodeWatchEvent(.deleted, objectBytes: bytes(event.object), into: &out)
            }
        case .modified:
            let before = event.previous.map(matches) ?? false
            switch (before, now) {
            case (true, true): encodeWatchEvent(.modified, objectBytes: bytes(event.object), into: &out)
            case (false, true): encodeWatchEvent(.added, objectBytes: bytes(event.object), into: &out)
            case (true, false): encodeWatchEvent(.deleted, objectBytes: bytes(event.object), into: &out)
            case (false, false): break
            }
        case .bookmark, .error:
            encodeWatchEvent(event.type, objectBytes: bytes(event.object), into: &out)
        }
    }

    /// The object's bytes in the watched version (custom resources may be stored under another one).
    func bytes(_ object: StoredObject) -> [UInt8] {
        if let table, object.json["kind"]?.stringValue == resource.kind {
            return table.printer.table([object], resource: resource, columns: table.columns,
                                       metadata: ["resourceVersion": .string(String(object.resourceVersion))]).serializedBytes()
        }
        if let metadataOnly { return metadataOnly.bytes(object) }
        return VersionConverter.bytes(object, as: resource)
    }

    /// A BOOKMARK event carrying `resourceVersion`.
    func bookmark(resourceVersion: Int64, initialEventsEnd: Bool) -> [UInt8] {
        var metadata: JSON = ["resourceVersion": .string(String(resourceVersion))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSON = metadataOnly?.object(metadata)
            ?? ["kind": .string(resource.kind), "apiVersion": .string(resource.apiVersion), "metadata": metadata]
        var out: [UInt8] = []
        encodeWatchEvent(.bookmark, objectBytes: object.serializedBytes(), into: &out)
        return out
    }
}

/// Selector matching shared by list and watch.
enum ObjectFilter {
    static func matches(_ object: StoredObject, resource: ResourceInfo, labels: LabelSelector, fields: FieldSelector) -> Bool {
        if !labels.isEmpty && !labels.matches(object.labels) { return false }
        if !fields.isEmpty && !fields.matches({ fieldValue(object, $0) }) { return false }
        return true
    }

    /// Value of a selectable field as kube-apiserver's field sets give it.
    static func fieldValue(_ object: StoredObject, _ field: String) -> String? {
        switch field {
        case "metadata.name": return object.name
        case "metadata.namespace": return object.namespace
        default:
            let path = field.split(separator: ".").map(String.init)
            switch object.json[path: path] {
            case .string(let s)?: return s
            case .bool(let b)?: return b ? "true" : "false"
            case .int(let i)?: return String(i)
            case .none, .null?: return ""
            default: return nil
            }
        }
    }

    /// Fields kube-apiserver accepts in field selectors, beyond metadata.name and metadata.namespace.
    static let extraFields: [String: Set<String>] = [
        "pods": ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                 "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
        "events": ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
                   "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                   "reason", "reportingComponent", "source", "type"],
        "secrets": ["type"],
        "namespaces": ["status.phase"],
        "nodes": ["spec.unschedulable"],
        "replicasets.apps": ["status.replicas"],
        "replicationcontrollers": ["status.replicas"],
        "jobs.batch": ["status.successful"],
        "certificatesigningrequests.certificates.k8s.io": ["spec.signerName"],
    ]

    /// Checks that every field of the selector is selectable on the resource (400 otherwise).
    static func validate(_ selector: FieldSelector, resource: ResourceInfo) throws(Status) {
        for requirement in selector.requirements {
            let field = requirement.field
            if field == "metadata.name" || field == "metadata.namespace" { continue }
            if extraFields[resource.storageKey]?.contains(field) == true { continue }
            throw Status.badRequest("field label not supported: \(field)")
        }
    }
}
