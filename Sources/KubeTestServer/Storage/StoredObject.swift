import KubeCore

/// One stored object version: the parsed value plus its serialized bytes, so that
/// lists and watch events are built by concatenating bytes rather than re-encoding.
final class StoredObject: Sendable {
    let json: JSON
    let bytes: [UInt8]
    let namespace: String
    let name: String
    let uid: String
    let resourceVersion: Int64
    let labels: [String: String]

    init(json: JSON, resourceVersion: Int64) {
        self.json = json
        self.bytes = json.serializedBytes()
        self.namespace = json[path: ["metadata", "namespace"]]?.stringValue ?? ""
        self.name = json[path: ["metadata", "name"]]?.stringValue ?? ""
        self.uid = json[path: ["metadata", "uid"]]?.stringValue ?? ""
        self.resourceVersion = resourceVersion
        var labels: [String: String] = [:]
        for (k, v) in json[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let s = v.stringValue { labels[k] = s }
        }
        self.labels = labels
    }

    /// Storage key within a resource: "namespace/name", or "name" when cluster-scoped.
    var key: String { namespace.isEmpty ? name : namespace + "/" + name }

    var finalizers: [String] {
        (json[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    var isDeleting: Bool { json[path: ["metadata", "deletionTimestamp"]] != nil }

    /// (apiVersion-less) owner UIDs from metadata.ownerReferences.
    var ownerUIDs: [String] {
        (json[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }
}

/// The kinds of watch event.
enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}

/// One change in the history ring.
struct HistoryEvent: Sendable {
    let type: WatchEventType
    let storageKey: String
    let object: StoredObject
    /// The state before the change (MODIFIED and DELETED).
    let previous: StoredObject?

    var resourceVersion: Int64 { object.resourceVersion }
}

/// Encodes `{"type":T,"object":OBJ}\n` from already-serialized object bytes.
func encodeWatchEvent(_ type: WatchEventType, objectBytes: [UInt8], into out: inout [UInt8]) {
    out.append(contentsOf: #"{"type":""#.utf8)
    out.append(contentsOf: type.rawValue.utf8)
    out.append(contentsOf: #"","object":"#.utf8)
    out.append(contentsOf: objectBytes)
    out.append(contentsOf: "}\n".utf8)
}
