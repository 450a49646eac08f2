import KubeClient
import KubeCore

/// One page of a list: raw object bytes plus the list's resourceVersion and continue token.
public struct RawListPage: Sendable {
    /// Each item's JSON bytes (any formatting; the informer compacts them).
    public var items: [[UInt8]]
    /// `metadata.resourceVersion` of the list.
    public var resourceVersion: String
    /// `metadata.continue`; nil or empty on the last page.
    public var continueToken: String?

    public init(items: [[UInt8]], resourceVersion: String, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// One event of a watch stream, its object still in bytes.
public enum RawWatchEvent: Sendable {
    case added([UInt8])
    case modified([UInt8])
    case deleted([UInt8])
    /// A bookmark: nothing changed, but the stream has reached this resourceVersion.
    case bookmark(resourceVersion: String)
    /// An ERROR event; the value is the server's Status (410 means the resourceVersion expired).
    case error(Status)
}

/// An open watch stream.
///
/// `next()` blocks until an event, the end of the stream (nil) or a failure. A stream that
/// delivers nothing at all for longer than the idle limit given to `watch` must end with
/// an error whose `isTimeout` is true. `close()` may be called from any thread, also while
/// another thread is blocked in `next()`, which must then return promptly.
public protocol RawWatchStream: AnyObject, Sendable {
    func next() throws(KubeError) -> RawWatchEvent?
    func close()
}

/// Where a watcher gets its lists and watches: the dynamic client in production, a script
/// in tests. Calls block; they are made from the informer's reflector thread.
public protocol ListerWatcher: Sendable {
    /// Lists one page: `limit` items at most (nil: no limit), continuing from `continueToken`.
    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage

    /// Watches from `resourceVersion` with bookmarks, the server ending the stream after
    /// `timeoutSeconds`, and the client ending it after `idleTimeoutSeconds` of silence.
    func watch(resourceVersion: String, timeoutSeconds: Int, idleTimeoutSeconds: Double) throws(KubeError) -> any RawWatchStream
}
