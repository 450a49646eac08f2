import Foundation
import KubeClient
import KubeCore
@testable import KubeRuntime

/// An in-memory stand-in for the API server's list and watch of one resource, with the
/// faults an informer must survive: compaction (410), closed streams, failing requests.
final class FakeCluster: ListerWatcher, @unchecked Sendable {
    struct Event {
        var rv: Int
        var type: String
        var bytes: [UInt8]
    }

    let lock = ConditionLock()
    var objects: [String: (rv: Int, bytes: [UInt8])] = [:]
    var history: [Event] = []
    var compactedBelow = 0
    var rv = 100
    var failNext = 0
    var watchGeneration = 0
    var listCalls = 0
    var watchCalls = 0
    /// Watch events handed to a watcher (bookmarks not counted), so tests await delivery.
    var eventsSent = 0
    var bookmarkEvery = 0

    static func configMap(_ ns: String, _ name: String, rv: Int, data: String, labels: [String: String] = [:]) -> [UInt8] {
        var meta: JSON = ["name": .string(name), "resourceVersion": .string(String(rv)), "uid": .string("uid-\(ns)-\(name)")]
        if !ns.isEmpty { meta["namespace"] = .string(ns) }
        if !labels.isEmpty { meta["labels"] = .object(labels.mapValues { .string($0) }) }
        let obj: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": ["v": .string(data)]]
        return obj.serializedBytes()
    }

    @discardableResult
    func upsert(_ ns: String, _ name: String, data: String, labels: [String: String] = [:]) -> Int {
        lock.withLock {
            rv += 1
            let key = ns.isEmpty ? name : "\(ns)/\(name)"
            let bytes = Self.configMap(ns, name, rv: rv, data: data, labels: labels)
            let type = objects[key] == nil ? "ADDED" : "MODIFIED"
            objects[key] = (rv, bytes)
            history.append(Event(rv: rv, type: type, bytes: bytes))
            lock.broadcast()
            return rv
        }
    }

    func delete(_ ns: String, _ name: String) {
        lock.withLock {
            let key = ns.isEmpty ? name : "\(ns)/\(name)"
            guard objects.removeValue(forKey: key) != nil else { return }
            rv += 1
            history.append(Event(rv: rv, type: "DELETED", bytes: Self.configMap(ns, name, rv: rv, data: "deleted")))
            lock.broadcast()
        }
    }

    /// Forgets history: watches from older resourceVersions get 410.
    func compact() {
        lock.withLock {
            compactedBelow = rv
            history.removeAll()
            watchGeneration += 1
            lock.broadcast()
        }
    }

    /// Deletes an object while every watch is down and history is lost, so informers can
    /// only learn of it by relisting (a delete with final_state_unknown).
    func deleteDuringGap(_ ns: String, _ name: String) {
        lock.withLock {
            let key = ns.isEmpty ? name : "\(ns)/\(name)"
            guard objects.removeValue(forKey: key) != nil else { return }
            rv += 1
            compactedBelow = rv
            history.removeAll()
            watchGeneration += 1
            lock.broadcast()
        }
    }

    /// Ends every open watch stream.
    func closeWatches() {
        lock.withLock {
            watchGeneration += 1
            lock.broadcast()
        }
    }

    func failRequests(_ n: Int) { lock.withLock { failNext = n } }

    var snapshot: [String: [UInt8]] { lock.withLock { objects.mapValues(\.bytes) } }

    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
        try lock.withLock { () throws(KubeError) -> RawListPage in
            listCalls += 1
            if failNext > 0 {
                failNext -= 1
                throw KubeError.api(Status.internalError("injected"))
            }
            // Pages over a sorted key snapshot; the token carries the offset.
            let keys = objects.keys.sorted()
            let offset = continueToken.flatMap { Int($0) } ?? 0
            let size = limit ?? keys.count
            let page = keys.dropFirst(offset).prefix(size)
            let next = offset + page.count < keys.count ? String(offset + page.count) : nil
            return RawListPage(items: page.compactMap { objects[$0]?.bytes }, resourceVersion: String(rv), continueToken: next)
        }
    }

    func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
               onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
        let start = Int(resourceVersion) ?? 0
        let generation = try lock.withLock { () throws(KubeError) -> Int in
            watchCalls += 1
            if failNext > 0 {
                failNext -= 1
                throw KubeError.api(Status.tooManyRequests(retryAfterSeconds: 0))
            }
            if start < compactedBelow { throw KubeError.api(Status.gone("too old resource version: \(start)")) }
            return watchGeneration
        }
        var next = start
        var sent = 0
        while true {
            let batch: [Event]? = lock.withLock {
                while !cancellation.isCancelled && watchGeneration == generation && (history.last?.rv ?? 0) <= next {
                    lock.wait(timeout: .milliseconds(10))
                }
                if cancellation.isCancelled || watchGeneration != generation { return nil }
                return history.filter { $0.rv > next }
            }
            guard let batch else { return }
            for event in batch {
                next = event.rv
                let e: WatchStreamEvent
                switch event.type {
                case "ADDED": e = .added(event.bytes)
                case "MODIFIED": e = .modified(event.bytes)
                default: e = .deleted(event.bytes)
                }
                if !onEvent(e) { return }
                sent += 1
                lock.withLock { eventsSent += 1 }
                if bookmarkEvery > 0, sent % bookmarkEvery == 0, !onEvent(.bookmark(resourceVersion: String(next))) { return }
            }
        }
    }
}

