/// Query parameters of a LIST or WATCH request (`metav1.ListOptions`).
public struct ListOptions: Sendable, Hashable {
    /// Label selector text, e.g. `app=web,tier in (a,b)`.
    public var labelSelector: String?
    /// Field selector text, e.g. `metadata.name=foo`.
    public var fieldSelector: String?
    /// Page size; the server returns a `continue` token when more remain.
    public var limit: Int?
    /// The `continue` token of the previous page.
    public var continueToken: String?
    /// Where to start: "" (most recent, quorum read), "0" (any cached), or a resourceVersion.
    public var resourceVersion: String?
    /// `NotOlderThan` or `Exact`, qualifying `resourceVersion`.
    public var resourceVersionMatch: String?
    /// Server-side timeout of a watch (or list).
    public var timeoutSeconds: Int?
    /// Ask for BOOKMARK events on a watch.
    public var allowWatchBookmarks: Bool
    /// Ask a watch to start with the current objects as ADDED events (then a bookmark).
    public var sendInitialEvents: Bool?
    /// Turn the list into a watch.
    public var watch: Bool

    /// List options; all unset by default.
    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
                continueToken: String? = nil, resourceVersion: String? = nil, resourceVersionMatch: String? = nil,
                timeoutSeconds: Int? = nil, allowWatchBookmarks: Bool = false, sendInitialEvents: Bool? = nil,
                watch: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
        self.watch = watch
    }

    /// The query parameters, unencoded, in a fixed order; unset and empty values are left out.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { items.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { items.append(("continue", continueToken)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch, !resourceVersionMatch.isEmpty { items.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if allowWatchBookmarks { items.append(("allowWatchBookmarks", "true")) }
        if let sendInitialEvents { items.append(("sendInitialEvents", sendInitialEvents ? "true" : "false")) }
        if watch { items.append(("watch", "true")) }
        return items
    }
}
