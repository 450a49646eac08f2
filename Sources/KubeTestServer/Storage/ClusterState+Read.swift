import Foundation
import KubeCore

/// Parameters of a LIST or WATCH.
struct ListRequest: Sendable {
    var labelSelector = LabelSelector.everything
    var fieldSelector = FieldSelector.everything
    var limit: Int?
    var continueToken: String?
    var resourceVersion: String?
    var resourceVersionMatch: String?
    var allowWatchBookmarks = false
    var sendInitialEvents: Bool?
    var timeoutSeconds: Int?
}

/// One page of a LIST.
struct ListPage: Sendable {
    var items: [StoredObject]
    var resourceVersion: Int64
    var continueToken: String?
    var remainingItemCount: Int?
}

/// Continue tokens: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":KEY} as kube-apiserver writes them.
enum ContinueToken {
    static func encode(rv: Int64, after key: String) -> String {
        let json: JSON = ["v": "meta.k8s.io/v1", "rv": .int(rv), "start": .string(key + "\u{0}")]
        return Data(json.serializedBytes()).base64EncodedString()
    }

    static func decode(_ token: String) -> (rv: Int64, start: String)? {
        var padded = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded),
              let json = try? JSON.parse(bytes: [UInt8](data)),
              let rv = json["rv"]?.intValue, let start = json["start"]?.stringValue else { return nil }
        return (rv, start)
    }
}

extension ClusterState {
    func get(_ resource: ResourceInfo, namespace: String?, name: String) throws(Status) -> StoredObject {
        let key = resource.namespaced ? (namespace ?? "") + "/" + name : name
        guard let object = object(resource.storageKey, key) else {
            throw Status.notFound(group: resource.group, resource: resource.name, name: name)
        }
        return object
    }

    static let continueTooOld = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    func tooLarge(_ rv: Int64) -> Status {
        Status(code: 504, reason: .timeout,
               message: "Too large resource version: \(rv), current: \(resourceVersion)",
               details: StatusDetails(causes: [StatusCause(type: "ResourceVersionTooLarge", message: "Too large resource version", field: "")],
                                      retryAfterSeconds: 1))
    }

    /// LIST: one page from a consistent snapshot.
    func list(_ resource: ResourceInfo, namespace: String?, request: ListRequest) throws(Status) -> ListPage {
        var snapshotRV = resourceVersion
        var startAfter: String?
        if let token = request.continueToken, !token.isEmpty {
            guard let decoded = ContinueToken.decode(token) else {
                throw Status.badRequest("continue key is not valid: invalid continue token")
            }
            if decoded.rv < compactedRV { throw Status.expired(Self.continueTooOld) }
            if decoded.rv > resourceVersion { throw Status.badRequest("continue key is not valid: resource version in the future") }
            snapshotRV = decoded.rv
            var start = decoded.start
            if start.hasSuffix("\u{0}") { start.removeLast() }
            startAfter = start
        } else if let rvString = request.resourceVersion, !rvString.isEmpty {
            guard let rv = Int64(rvString) else {
                throw Status.badRequest("invalid resource version \"\(rvString)\"")
            }
            let match = request.resourceVersionMatch ?? ""
            let exact = match == "Exact" || (match.isEmpty && request.limit != nil && rv != 0)
            if rv > resourceVersion { throw tooLarge(rv) }
            if exact {
                if rv < compactedRV {
                    throw Status.expired("too old resource version: \(rv) (\(compactedRV + 1))")
                }
                snapshotRV = rv
            }
        }
        let snapshot = snapshot(resource.storageKey, at: snapshotRV)
        var matching: [StoredObject] = []
        matching.reserveCapacity(snapshot.count)
        for object in snapshot.values {
            if let namespace, object.namespace != namespace { continue }
            if let startAfter, object.key <= startAfter { continue }
            if !ObjectFilter.matches(object, resource: resource, labels: request.labelSelector, fields: request.fieldSelector) { continue }
            matching.append(object)
        }
        matching.sort { $0.key < $1.key }
        var page = ListPage(items: matching, resourceVersion: snapshotRV)
        // resourceVersion=0 is served from kube-apiserver's watch cache, which cannot page:
        // it answers with everything and ignores limit (client-go's reflector relies on that).
        let fromCache = request.resourceVersion == "0" && (request.continueToken ?? "").isEmpty
        if !fromCache, let limit = request.limit, limit > 0, matching.count > limit {
            page.items = Array(matching[..<limit])
            page.continueToken = ContinueToken.encode(rv: snapshotRV, after: page.items[limit - 1].key)
            page.remainingItemCount = matching.count - limit
        }
        return page
    }

    /// WATCH: validates the start point, queues the initial events for the watcher and
    /// registers it, all under the lock so no change falls between replay and live events.
    /// Returns false when the stream was ended with an ERROR event (too old resourceVersion).
    mutating func startWatch(_ watcher: Watcher, request: ListRequest) throws(Status) -> Bool {
        var out: [UInt8] = []
        let rvString = request.resourceVersion ?? ""
        let initialList = request.sendInitialEvents == true || rvString.isEmpty || rvString == "0"
        if initialList {
            let current = objects[watcher.resource.storageKey] ?? [:]
            for object in current.values.sorted(by: { $0.key < $1.key }) where watcher.matches(object) {
                encodeWatchEvent(.added, objectBytes: watcher.bytes(object), into: &out)
            }
            if request.sendInitialEvents == true {
                out += watcher.bookmark(resourceVersion: resourceVersion, initialEventsEnd: true)
            }
        } else {
            guard let rv = Int64(rvString) else {
                throw Status.badRequest("invalid resource version \"\(rvString)\"")
            }
            if rv < compactedRV {
                let status = Status.expired("too old resource version: \(rv) (\(compactedRV + 1))")
                encodeWatchEvent(.error, objectBytes: status.json().serializedBytes(), into: &out)
                watcher.sink.send(out)
                watcher.sink.finish(abrupt: false)
                return false
            }
            var i = historyIndex(after: rv)
            while i < history.count {
                let event = history[i]
                if event.storageKey == watcher.resource.storageKey { watcher.encode(event, into: &out) }
                i += 1
            }
        }
        if !out.isEmpty { watcher.sink.send(out) }
        addWatcher(watcher)
        return true
    }

    /// A bookmark at the current resourceVersion, queued in order with the watcher's events.
    func sendBookmark(to id: Int, storageKey: String) {
        guard let watcher = watchers[storageKey]?[id] else { return }
        watcher.sink.send(watcher.bookmark(resourceVersion: resourceVersion, initialEventsEnd: false))
    }
}
