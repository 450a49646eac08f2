import KubeClient
import KubeCore

/// Lists and watches one resource through the dynamic client, keeping objects as bytes:
/// list bodies are split as they arrive and watch objects are copied once, straight
/// from the transfer buffer into the cache entry.
public struct DynamicListerWatcher: ListerWatcher {
    public let resource: DynamicResource
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Ask the server for PartialObjectMetadata lists and events (client-go's metadata
    /// informer), so full objects never cross the wire. Servers that cannot transform send
    /// full objects, which the metadata-only transform trims on arrival.
    public var metadataOnly: Bool

    public init(resource: DynamicResource, labelSelector: String? = nil, fieldSelector: String? = nil,
                metadataOnly: Bool = false) {
        self.resource = resource
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.metadataOnly = metadataOnly
    }

    public func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
        try list(resourceVersion: "", limit: limit, continueToken: continueToken, cancellation: nil)
    }

    public func list(resourceVersion: String, limit: Int?, continueToken: String?,
                     cancellation: CancellationToken?) throws(KubeError) -> RawListPage {
        var items: [[UInt8]] = []
        var page = try list(resourceVersion: resourceVersion, limit: limit, continueToken: continueToken,
                            cancellation: cancellation) { (item) throws(KubeError) in items.append(item) }
        page.items = items
        return page
    }

    /// The body is split as it arrives (libcurl's write callback feeds the splitter), so
    /// only the item being received is held, never the whole answer.
    public func list(resourceVersion: String, limit: Int?, continueToken: String?, cancellation: CancellationToken?,
                     onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> RawListPage {
        var options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit,
                                  continueToken: continueToken)
        // A continue token already names its snapshot; the server refuses both together.
        if (continueToken ?? "").isEmpty, !resourceVersion.isEmpty { options.resourceVersion = resourceVersion }
        var reader = ListItemReader()
        var failure: KubeError?
        try resource.listRaw(options, accept: metadataOnly ? MediaType.partialObjectMetadataList : nil,
                             cancellation: cancellation) { chunk in
            do throws(KubeError) {
                try reader.feed(chunk, onItem)
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        let (rv, token) = try reader.finish(onItem)
        return RawListPage(items: [], resourceVersion: rv, continueToken: token)
    }

    public func watch(
        resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
        onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError) {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                  resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                                  allowWatchBookmarks: true)
        try stream(options, cancellation: cancellation, onEvent: onEvent)
    }

    /// `sendInitialEvents=true` with `resourceVersionMatch=NotOlderThan` from the newest
    /// state ("" resourceVersion), as client-go's watch-list asks for it.
    public func watchList(
        timeoutSeconds: Int, cancellation: CancellationToken, onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError) {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                  resourceVersion: "", resourceVersionMatch: "NotOlderThan",
                                  timeoutSeconds: timeoutSeconds, allowWatchBookmarks: true,
                                  sendInitialEvents: true)
        try stream(options, cancellation: cancellation, onEvent: onEvent)
    }

    private func stream(
        _ options: ListOptions, cancellation: CancellationToken, onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError) {
        var failure: KubeError?
        let accept = metadataOnly ? MediaType.partialObjectMetadata : nil
        try resource.watchRaw(options, cancellation: cancellation, accept: accept) { raw in
            let event: WatchStreamEvent
            switch raw.type {
            case .added: event = .added(Array(raw.object))
            case .modified: event = .modified(Array(raw.object))
            case .deleted: event = .deleted(Array(raw.object))
            case .bookmark:
                do throws(KubeError) {
                    event = try Self.bookmark(raw.object)
                } catch {
                    failure = error
                    return .stop
                }
            case .error:
                let json = try? JSON.parse(raw.object)
                let status = json.flatMap { Status(json: $0) } ?? Status.internalError("malformed ERROR event in watch")
                event = .error(status)
            }
            return onEvent(event) ? .continue : .stop
        }
        if let failure { throw failure }
    }

    /// A bookmark's resourceVersion, and whether it ends a streaming list's initial events.
    /// Bookmarks are small and rare, so a tree is fine here.
    static func bookmark(_ bytes: UnsafeRawBufferPointer) throws(KubeError) -> WatchStreamEvent {
        let json: JSON
        do throws(JSONError) {
            json = try JSON.parse(bytes)
        } catch {
            throw .decoding("bookmark: \(error)")
        }
        let metadata = json["metadata"]
        let rv = metadata?["resourceVersion"]?.stringValue ?? ""
        if metadata?["annotations"]?["k8s.io/initial-events-end"]?.stringValue == "true" {
            return .initialEventsEnd(resourceVersion: rv)
        }
        return .bookmark(resourceVersion: rv)
    }
}
