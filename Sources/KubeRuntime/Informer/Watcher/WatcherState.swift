/// The states of the watcher state machine.
///
/// ```
/// empty ──initStart──▶ listing(nil) ──page──▶ listing(token) … ──last page──▶ listed(rv)
///   ▲                                                                        │ initDone
///   │ 410 Gone (continue token expired, watch refused, ERROR event)         ▼
///   └──────────────────────────────────────────────────────────────── watching(rv)
///                                       stream ended / failed / idle: watching(last rv) ↺
/// ```
/// Failures other than 410 leave the state as it was (the caller backs off and steps again).
public enum WatcherState: Sendable, Hashable {
    /// Nothing listed yet, or history was lost: list from scratch.
    case empty
    /// Listing pages; `continueToken` is nil for the first page.
    case listing(continueToken: String?)
    /// The last page arrived; the list was at `resourceVersion`.
    case listed(resourceVersion: String)
    /// Watch from `resourceVersion` (the newest seen, from the list, events or bookmarks).
    case watching(resourceVersion: String)
}
