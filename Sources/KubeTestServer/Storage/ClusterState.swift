import Foundation
import KubeCore

/// Everything the cluster holds, guarded as one unit by `Cluster`'s mutex (one global
/// lock, like a single etcd member: every write is totally ordered by resourceVersion).
struct ClusterState {
    /// The last resourceVersion handed out.
    var resourceVersion: Int64 = 0
    /// storage key ("pods", "deployments.apps") → object key ("ns/name" or "name") → object.
    var objects: [String: [String: StoredObject]] = [:]
    /// Retained changes, oldest first, from `historyStart`.
    var history: [HistoryEvent] = []
    var historyStart = 0
    /// Changes with a resourceVersion above this one are all in `history`.
    var compactedRV: Int64 = 0
    var historyLimit: Int
    /// storage key → watcher id → watcher.
    var watchers: [String: [Int: Watcher]] = [:]
    var nextWatcherID = 1
    /// owner uid → dependents (storage key, object key).
    var dependents: [String: Set<ObjectRef>] = [:]
    /// uid → where the object lives (owner lookups for garbage collection).
    var byUID: [String: ObjectRef] = [:]

    let registry: ResourceRegistry

    struct ObjectRef: Hashable, Sendable {
        var storageKey: String
        var key: String
    }

    init(registry: ResourceRegistry, historyLimit: Int) {
        self.registry = registry
        self.historyLimit = max(1, historyLimit)
    }

    var retainedHistory: ArraySlice<HistoryEvent> { history[historyStart...] }

    func object(_ storageKey: String, _ key: String) -> StoredObject? {
        objects[storageKey]?[key]
    }

    func namespaceExists(_ name: String) -> Bool {
        objects["namespaces"]?[name] != nil
    }

    /// Records a change: assigns the next resourceVersion, stores (or removes) the object,
    /// appends to history and hands the event to every watcher of the resource.
    @discardableResult
    mutating func commit(_ type: WatchEventType, storageKey: String, json: JSON, previous: StoredObject?) -> StoredObject {
        resourceVersion += 1
        var json = json
        json[path: ["metadata", "resourceVersion"]] = .string(String(resourceVersion))
        let object = StoredObject(json: json, resourceVersion: resourceVersion)
        if type == .deleted {
            objects[storageKey]?[object.key] = nil
        } else {
            objects[storageKey, default: [:]][object.key] = object
        }
        let ref = ObjectRef(storageKey: storageKey, key: object.key)
        if let previous {
            for uid in previous.ownerUIDs { dependents[uid]?.remove(ref) }
        }
        if type != .deleted {
            for uid in object.ownerUIDs { dependents[uid, default: []].insert(ref) }
            byUID[object.uid] = ref
        } else {
            byUID[object.uid] = nil
            dependents[object.uid] = dependents[object.uid].flatMap { $0.isEmpty ? nil : $0 }
        }
        let event = HistoryEvent(type: type, storageKey: storageKey, object: object, previous: previous)
        history.append(event)
        trimHistory()
        if let list = watchers[storageKey] {
            for watcher in list.values {
                var bytes: [UInt8] = []
                watcher.encode(event, into: &bytes)
                if !bytes.isEmpty { watcher.sink.send(bytes) }
            }
        }
        return object
    }

    mutating func trimHistory() {
        let retained = history.count - historyStart
        if retained > historyLimit {
            let drop = retained - historyLimit
            compactedRV = history[historyStart + drop - 1].resourceVersion
            historyStart += drop
        }
        // Reclaim the dropped prefix once it outweighs the live part.
        if historyStart > 1024 && historyStart > history.count / 2 {
            history.removeFirst(historyStart)
            historyStart = 0
        }
    }

    /// Drops all history: every resourceVersion before now becomes too old.
    mutating func compact() {
        compactedRV = resourceVersion
        history.removeAll()
        historyStart = 0
    }

    /// First retained history index with resourceVersion > rv.
    func historyIndex(after rv: Int64) -> Int {
        var lo = historyStart, hi = history.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if history[mid].resourceVersion <= rv { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The objects of one resource as they were at `rv` (must be ≥ compactedRV).
    func snapshot(_ storageKey: String, at rv: Int64) -> [String: StoredObject] {
        var result = objects[storageKey] ?? [:]
        guard rv < resourceVersion else { return result }
        var i = history.count - 1
        while i >= historyStart, history[i].resourceVersion > rv {
            let e = history[i]
            if e.storageKey == storageKey {
                switch e.type {
                case .added: result[e.object.key] = nil
                case .modified, .deleted: result[e.object.key] = e.previous
                case .bookmark, .error: break
                }
            }
            i -= 1
        }
        return result
    }

    mutating func addWatcher(_ watcher: Watcher) {
        watchers[watcher.resource.storageKey, default: [:]][watcher.id] = watcher
    }

    mutating func removeWatcher(id: Int, storageKey: String) -> Watcher? {
        watchers[storageKey]?.removeValue(forKey: id)
    }

    var allWatchers: [Watcher] { watchers.values.flatMap { $0.values } }
}
