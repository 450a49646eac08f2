/// The states of the watcher state machine.
///
/// ```
/// empty ──initStart──▶ listing(nil) ──page──▶ listing(token) … ──last page──▶ listed(rv)
///   ▲                                                                        │ initDone
///   │ 410 Gone (list continue expired, watch refused, ERROR event)           ▼
///   └─────────────────────────────────────────────────────────────── watchStart(rv)
///                                               stream ended / failed ──▲   │ watch opened
///                                                                       │   ▼
///                                                                   watching(rv, stream)
/// ```
/// Failures other than 410 leave the state as it was (the caller backs off and steps again).
public enum WatcherState: Sendable {
    /// Nothing listed yet, or history was lost: list from scratch.
    case empty
    /// Listing pages; `continueToken` is nil for the first page.
    case listing(continueToken: String?)
    /// The last page arrived; the list was at `resourceVersion`.
    case listed(resourceVersion: String)
    /// Open a watch from `resourceVersion`.
    case watchStart(resourceVersion: String)
    /// Reading a watch stream; `resourceVersion` is the newest seen (events and bookmarks).
    case watching(resourceVersion: String, stream: any RawWatchStream)

    /// The stream to close when the watcher stops in this state.
    var stream: (any RawWatchStream)? {
        if case .watching(_, let stream) = self { return stream }
        return nil
    }
}
