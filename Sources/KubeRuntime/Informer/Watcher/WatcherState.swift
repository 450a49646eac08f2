/// The states of the watcher state machine.
///
/// ```
///          ┌─(streaming lists)─▶ streaming ──initial events end──────────────┐
///          │                       │ refused / failed before the end:        │
///          │                       ▼ initStart again, list instead           │
/// empty ──initStart──▶ listingFromCache ──(everything)────────────────────────┐
///                           │ unavailable (410, too large): consistent list   │
///                           ▼                                                 ▼
/// relisting ─initStart─▶ listing(nil) ──page──▶ listing(token) … ──last page──▶ listed(rv)
///   ▲                                                                        │ initDone
///   │ 410 Gone (continue token expired, watch refused, ERROR event)         ▼
///   └──────────────────────────────────────────────────────────────── watching(rv)
///                                       stream ended / failed / idle: watching(last rv) ↺
/// ```
/// The first list asks for `resourceVersion=0`, as client-go's reflector does: kube-apiserver
/// answers it from its watch cache, all at once and without touching etcd. After a 410, or
/// when the cached list is unavailable, the list is consistent (resourceVersion unset) and
/// paged, each page continuing the first page's snapshot.
/// Failures other than 410 leave the state as it was (the caller backs off and steps again),
/// except a failed streaming list, which falls back to paged listing at once.
public enum WatcherState: Sendable, Hashable {
    /// Nothing listed yet: list from scratch, from the server's cache first.
    case empty
    /// History was lost (410): list from scratch, consistently.
    case relisting
    /// The first list: `resourceVersion=0`, answered from the server's cache in one piece.
    case listingFromCache
    /// A streaming list is open: its ADDED events are the initial state until the
    /// initial-events-end bookmark, after which the same stream carries live events.
    case streaming
    /// Listing pages; `continueToken` is nil for the first page.
    case listing(continueToken: String?)
    /// The last page arrived; the list was at `resourceVersion`.
    case listed(resourceVersion: String)
    /// Watch from `resourceVersion` (the newest seen, from the list, events or bookmarks).
    case watching(resourceVersion: String)

    /// True while a watch stream is (about to be) open: the states the idle check covers.
    var isStreamOpen: Bool {
        switch self {
        case .streaming, .watching: return true
        case .empty, .relisting, .listingFromCache, .listing, .listed: return false
        }
    }
}
