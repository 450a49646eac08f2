/// The kind of a watch event, as the server spells it in the `type` field.
public enum WatchEventType: String, Sendable, Hashable, CaseIterable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    /// Only `metadata.resourceVersion` of the object is meaningful (progress marker).
    case bookmark = "BOOKMARK"
    /// The object is a `Status` (e.g. 410 Expired); the server ends the watch after it.
    case error = "ERROR"
}

/// What a watch handler wants next.
public enum WatchAction: Sendable, Hashable {
    /// Keep delivering events.
    case `continue`
    /// End the watch; the call returns normally.
    case stop
}
