import KubeCore

/// A watch that survives what ends a plain one (client-go's `RetryWatcher` and
/// `UntilWithSync` together):
///
/// - a dropped or ended stream (timeout, connection reset, server restart) is resumed from
///   the last resourceVersion seen, events and bookmarks included, so nothing is missed or
///   repeated;
/// - a 410 Gone (the resourceVersion is too old) makes it list again and hand the caller
///   what changed meanwhile as ADDED / MODIFIED / DELETED events, computed against the
///   objects it has seen, then watch on from the new list;
/// - bookmarks are requested and handed on (`.bookmark`), so the caller can record
///   progress; ERROR events never reach the caller.
///
/// With no starting resourceVersion it first lists and delivers every object as ADDED.
/// It keeps one key → resourceVersion entry per live object (not the objects).
public struct ResumableWatch: Sendable {
    public let resource: DynamicResource
    /// Selectors and `timeoutSeconds` of each watch request; the resourceVersion fields are
    /// managed here.
    public var options: ListOptions
    /// Delay before resuming after a failure; doubles up to `maxBackoff`, reset by events.
    public var initialBackoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(10)

    /// A resumable watch of `resource`; `resourceVersion` nil or "" lists first.
    public init(resource: DynamicResource, options: ListOptions = ListOptions(), resourceVersion: String? = nil) {
        self.resource = resource
        var options = options
        options.resourceVersion = resourceVersion
        self.options = options
    }

    /// Runs on the calling thread until `handler` answers `.stop`, `cancellation` is
    /// cancelled (both return normally), or a failure that resuming cannot fix (403, 404,
    /// a malformed event) is thrown. Transient failures are retried with backoff.
    public func run(cancellation: CancellationToken? = nil, handler: (WatchEvent) -> WatchAction) throws(KubeError) {
        var known: [String: String] = [:]
        var resourceVersion = options.resourceVersion ?? ""
        var backoff = initialBackoff
        if resourceVersion.isEmpty || resourceVersion == "0" {
            guard let listed = try relist(known: &known, cancellation: cancellation, handler: handler) else { return }
            resourceVersion = listed
        }
        while cancellation?.isCancelled != true {
            var watchOptions = options
            watchOptions.resourceVersion = resourceVersion
            watchOptions.resourceVersionMatch = nil
            watchOptions.allowWatchBookmarks = true
            var stopped = false
            var ending: KubeError?
            do {
                try resource.watchRaw(watchOptions, cancellation: cancellation) { raw in
                    if let error = raw.endingError {
                        ending = error
                        return .stop
                    }
                    let event: WatchEvent
                    do throws(KubeError) {
                        event = try WatchEvent(raw)
                    } catch {
                        ending = error
                        return .stop
                    }
                    if let version = event.object.resourceVersion, !version.isEmpty { resourceVersion = version }
                    backoff = initialBackoff
                    let key = Self.key(event.object)
                    switch event.type {
                    case .added, .modified: known[key] = event.object.resourceVersion ?? ""
                    case .deleted: known.removeValue(forKey: key)
                    case .bookmark, .error: break
                    }
                    if handler(event) == .stop {
                        stopped = true
                        return .stop
                    }
                    return .continue
                }
            } catch {
                ending = error
            }
            if stopped || cancellation?.isCancelled == true { return }
            if let error = ending {
                if error.isGone {
                    guard let listed = try relist(known: &known, cancellation: cancellation, handler: handler) else { return }
                    resourceVersion = listed
                    continue
                }
                guard Self.isTransient(error) else { throw error }
                if !CancellationToken.sleep(nanoseconds: Self.nanoseconds(backoff), token: cancellation) { return }
                backoff = min(backoff * 2, maxBackoff)
            }
            // A clean end (the server's timeout): resume at once from where it stopped.
        }
    }

    /// Lists everything and hands the caller the difference with `known` as events.
    /// Returns the list's resourceVersion, or nil when the handler stopped.
    private func relist(known: inout [String: String], cancellation: CancellationToken?,
                        handler: (WatchEvent) -> WatchAction) throws(KubeError) -> String? {
        var listOptions = ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
        listOptions.resourceVersion = nil
        let list = try resource.listAll(listOptions)
        var seen: Set<String> = []
        var events: [WatchEvent] = []
        for object in list.items {
            let key = Self.key(object)
            seen.insert(key)
            let version = object.resourceVersion ?? ""
            switch known[key] {
            case nil: events.append(Self.event(.added, object))
            case let old? where old != version: events.append(Self.event(.modified, object))
            default: break
            }
            known[key] = version
        }
        for key in known.keys where !seen.contains(key) {
            known.removeValue(forKey: key)
            let parts = ObjectKey.split(key) ?? (namespace: "", name: key)
            let object = Unstructured(apiVersion: "", kind: "", name: parts.name,
                                      namespace: parts.namespace.isEmpty ? nil : parts.namespace)
            events.append(Self.event(.deleted, object))
        }
        for event in events where handler(event) == .stop { return nil }
        return cancellation?.isCancelled == true ? nil : list.resourceVersion
    }

    private static func event(_ type: WatchEventType, _ object: Unstructured) -> WatchEvent {
        WatchEvent(type: type, object: object, rawObject: object.object.serializedBytes())
    }

    static func key(_ object: Unstructured) -> String {
        let name = object.name ?? ""
        guard let namespace = object.namespace, !namespace.isEmpty else { return name }
        return "\(namespace)/\(name)"
    }

    /// Failures a later attempt may not see: the network, server overload and restarts.
    static func isTransient(_ error: KubeError) -> Bool {
        switch error {
        case .transport: return true
        case .api(let status):
            return status.code == 429 || status.code >= 500 || status.reason == .timeout || status.reason == .serverTimeout
        default: return false
        }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        return UInt64(clamping: parts.seconds) &* 1_000_000_000 &+ UInt64(clamping: parts.attoseconds / 1_000_000_000)
    }
}

extension DynamicResource {
    /// A watch that resumes after dropped streams and relists after 410 Gone; see
    /// `ResumableWatch`. Runs on the calling thread.
    public func resumableWatch(_ options: ListOptions = ListOptions(), resourceVersion: String? = nil,
                               cancellation: CancellationToken? = nil,
                               handler: (WatchEvent) -> WatchAction) throws(KubeError) {
        try ResumableWatch(resource: self, options: options, resourceVersion: resourceVersion)
            .run(cancellation: cancellation, handler: handler)
    }
}
