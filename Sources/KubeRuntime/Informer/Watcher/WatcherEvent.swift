/// What the watcher state machine tells the store (after kube-rs's watcher events).
///
/// A relist is bracketed by `initStart` and `initDone` with the listed objects in
/// `initApply` pages between them, so the store can swap its contents in one step when the
/// relist completes instead of showing a half-built cache.
public enum WatcherEvent: Sendable {
    /// The object was created or changed (from the watch).
    case apply(CachedObject)
    /// The object was deleted (from the watch); the value is its final state.
    case delete(CachedObject)
    /// A relist starts: forget any buffered relist.
    case initStart
    /// One page of the relist.
    case initApply([CachedObject])
    /// The relist is complete at this resourceVersion: swap to it.
    case initDone(resourceVersion: String)
    /// A bookmark: the watch is alive and has reached this resourceVersion (no change).
    case progress(resourceVersion: String)
}
