import KubeCore

/// One event of a typed watch.
public enum TypedWatchEvent<Resource: KubeResource>: Sendable {
    case added(Resource)
    case modified(Resource)
    /// The last state of the object before it was deleted.
    case deleted(Resource)
    /// A progress marker: the watch has seen everything up to `resourceVersion`.
    case bookmark(resourceVersion: String)
    /// The server reported an error (e.g. 410 Expired: list again) and ends the watch.
    case error(Status)

    /// The object of added/modified/deleted events.
    public var object: Resource? {
        switch self {
        case .added(let o), .modified(let o), .deleted(let o): return o
        case .bookmark, .error: return nil
        }
    }

    public var type: WatchEventType {
        switch self {
        case .added: return .added
        case .modified: return .modified
        case .deleted: return .deleted
        case .bookmark: return .bookmark
        case .error: return .error
        }
    }

    /// Decodes a raw event's object (copied; the raw bytes are borrowed).
    init(_ raw: RawWatchEvent, what: String) throws(KubeError) {
        let json: JSON
        do {
            json = try JSON.parse(raw.object)
        } catch {
            throw .decoding("malformed object in watch event \(raw.type.rawValue): \(error)")
        }
        switch raw.type {
        case .bookmark:
            self = .bookmark(resourceVersion: json[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
        case .error:
            self = .error(Status(json: json) ?? .internalError("watch error event: \(json.serialized())"))
        case .added:
            self = .added(try TypedCoding.decode(Resource.self, from: json, what: what))
        case .modified:
            self = .modified(try TypedCoding.decode(Resource.self, from: json, what: what))
        case .deleted:
            self = .deleted(try TypedCoding.decode(Resource.self, from: json, what: what))
        }
    }
}
