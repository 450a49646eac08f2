import KubeClient
import KubeCore

/// One event of a watch stream, its object still in bytes.
public enum WatchStreamEvent: Sendable {
    case added([UInt8])
    case modified([UInt8])
    case deleted([UInt8])
    /// A bookmark: nothing changed, but the stream has reached this resourceVersion.
    case bookmark(resourceVersion: String)
    /// The bookmark that ends a streaming list's initial events (annotated
    /// `k8s.io/initial-events-end: "true"`): every object that existed at `resourceVersion`
    /// has been sent as ADDED.
    case initialEventsEnd(resourceVersion: String)
    /// An ERROR event; the value is the server's Status (410 means the resourceVersion expired).
    case error(Status)
}

/// Where a watcher gets its lists and watches: the dynamic client in production
/// (`DynamicListerWatcher`), a script in tests. Calls block; they are made from the
/// informer's reflector thread.
public protocol ListerWatcher: Sendable {
    /// Lists one page: `limit` items at most (nil: no limit), continuing from `continueToken`.
    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage

    /// Lists one page at `resourceVersion`: "0" asks for the server's cache (kube-apiserver
    /// then answers everything at once, ignoring `limit`), "" for a consistent read; a
    /// continue token carries its first page's snapshot. `cancellation` ends the request.
    /// The default ignores `resourceVersion` and `cancellation` and calls `list(limit:continueToken:)`.
    func list(resourceVersion: String, limit: Int?, continueToken: String?,
              cancellation: CancellationToken?) throws(KubeError) -> RawListPage

    /// Lists one page as `list(resourceVersion:limit:continueToken:cancellation:)` does, but
    /// hands each item's bytes to `onItem` as soon as it has arrived (so the body need not
    /// be held: the first list of a large cluster is one answer of gigabytes) and returns
    /// the page without items. An error thrown by `onItem` ends the list and is rethrown.
    /// The default lists the page, then hands its items on.
    func list(resourceVersion: String, limit: Int?, continueToken: String?, cancellation: CancellationToken?,
              onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> RawListPage

    /// Watches from `resourceVersion` with bookmarks, the server ending the stream after
    /// `timeoutSeconds`. Calls `onEvent` on the calling thread for each event; returns when
    /// the stream ends, `onEvent` returns false, or `cancellation` is cancelled (from any
    /// thread). Throws on failure (a refused resourceVersion is `.api` 410).
    func watch(
        resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
        onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError)

    /// A streaming list (`sendInitialEvents=true`): one watch that first sends every current
    /// object as ADDED, then `.initialEventsEnd`, then live events — the same contract as
    /// `watch` otherwise. Servers without streaming lists refuse it (kube-apiserver before
    /// 1.27 answers 422 to `resourceVersionMatch` on a watch); the watcher then lists.
    /// The default implementation refuses, so sources need not support it.
    func watchList(
        timeoutSeconds: Int, cancellation: CancellationToken, onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError)
}

extension ListerWatcher {
    public func list(resourceVersion: String, limit: Int?, continueToken: String?,
                     cancellation: CancellationToken?) throws(KubeError) -> RawListPage {
        try list(limit: limit, continueToken: continueToken)
    }

    public func list(resourceVersion: String, limit: Int?, continueToken: String?, cancellation: CancellationToken?,
                     onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> RawListPage {
        var page = try list(resourceVersion: resourceVersion, limit: limit, continueToken: continueToken,
                            cancellation: cancellation)
        for item in page.items { try onItem(item) }
        page.items = []
        return page
    }

    public func watchList(
        timeoutSeconds: Int, cancellation: CancellationToken, onEvent: (WatchStreamEvent) -> Bool
    ) throws(KubeError) {
        throw KubeError.api(Status.badRequest("this source does not support streaming lists"))
    }
}
