import KubeClient
import KubeCore

/// Lists and watches one resource through the dynamic client, keeping objects as bytes:
/// list bodies are split with the byte scanner and watch objects are copied once, straight
/// from the transfer buffer into the cache entry.
public struct DynamicListerWatcher: ListerWatcher {
    public let resource: DynamicResource
    public var labelSelector: String?
    public var fieldSelector: String?

    public init(resource: DynamicResource, labelSelector: String? = nil, fieldSelector: String? = nil) {
        self.resource = resource
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
    }

    public func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: limit,
                                  continueToken: continueToken)
        return try RawListPage(body: resource.listRaw(options))
    }

    public func watch(
        resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
        onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError) {
        let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector,
                                  resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
                                  allowWatchBookmarks: true)
        var failure: KubeError?
        try resource.watchRaw(options, cancellation: cancellation) { raw in
            let event: WatchStreamEvent
            switch raw.type {
            case .added: event = .added(Array(raw.object))
            case .modified: event = .modified(Array(raw.object))
            case .deleted: event = .deleted(Array(raw.object))
            case .bookmark:
                do throws(KubeError) {
                    event = .bookmark(resourceVersion: try Self.resourceVersion(of: raw.object))
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

    /// `metadata.resourceVersion` of a (bookmark) object, read without a tree.
    static func resourceVersion(of bytes: UnsafeRawBufferPointer) throws(KubeError) -> String {
        let buf = bytes.assumingMemoryBound(to: UInt8.self)
        do throws(ObjectScanError) {
            var scanner = ObjectScanner(buf)
            return try scanner.scanObjectMetadata().resourceVersion ?? ""
        } catch {
            throw .decoding("bookmark: \(error)")
        }
    }
}
