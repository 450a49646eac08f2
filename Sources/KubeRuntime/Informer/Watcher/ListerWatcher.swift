import KubeClient
import KubeCore

/// One event of a watch stream, its object still in bytes.
public enum WatchStreamEvent: Sendable {
    case added([UInt8])
    case modified([UInt8])
    case deleted([UInt8])
    /// A bookmark: nothing changed, but the stream has reached this resourceVersion.
    case bookmark(resourceVersion: String)
    /// An ERROR event; the value is the server's Status (410 means the resourceVersion expired).
    case error(Status)
}

/// Where a watcher gets its lists and watches: the dynamic client in production
/// (`DynamicListerWatcher`), a script in tests. Calls block; they are made from the
/// informer's reflector thread.
public protocol ListerWatcher: Sendable {
    /// Lists one page: `limit` items at most (nil: no limit), continuing from `continueToken`.
    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage

    /// Watches from `resourceVersion` with bookmarks, the server ending the stream after
    /// `timeoutSeconds`. Calls `onEvent` on the calling thread for each event; returns when
    /// the stream ends, `onEvent` returns false, or `cancellation` is cancelled (from any
    /// thread). Throws on failure (a refused resourceVersion is `.api` 410).
    func watch(
        resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
        onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError)
}
