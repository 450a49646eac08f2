/// A whole LIST body split into its items' byte ranges (one `JSONListSplitter.feed`),
/// with the list's own members: what the list paths decode items from, one at a time.
public struct ListScan: Sendable {
    /// The byte range of each element of `items`, in server order.
    public var items: [Range<Int>] = []
    /// Every top-level member except an `items` array, parsed.
    public var members: [String: JSON] = [:]
    /// False when `items` is absent, null or not an array.
    public var hasItemsArray = false
    /// `metadata.resourceVersion`, "" when absent.
    public var resourceVersion: String = ""
    /// `metadata.continue`, "" when absent (the last page).
    public var continueToken: String = ""
    /// `metadata.remainingItemCount`, when the server sent it.
    public var remainingItemCount: Int64?

    /// Throws when the body is not one JSON object (with anything but whitespace after it).
    public init(bytes: UnsafeRawBufferPointer) throws(JSONError) {
        var splitter = JSONListSplitter()
        var ranges: [Range<Int>] = []
        _ = try splitter.feed(bytes) { item in
            ranges.append(item.range)
            return true
        }
        try splitter.finish()
        self.init(members: splitter.members, hasItemsArray: splitter.hasItemsArray, items: ranges)
    }

    /// The list read from members collected elsewhere (a streamed body's `JSONListSplitter`).
    public init(members: [String: JSON], hasItemsArray: Bool, items: [Range<Int>] = []) {
        self.items = items
        self.members = members
        self.hasItemsArray = hasItemsArray
        let metadata = members["metadata"]
        resourceVersion = metadata?["resourceVersion"]?.stringValue ?? ""
        continueToken = metadata?["continue"]?.stringValue ?? ""
        remainingItemCount = metadata?["remainingItemCount"]?.intValue
    }

    /// The split of a body that is an object with an `items` array, else nil: callers then
    /// parse the whole body, so that odd answers (`"items": null`, malformed JSON) keep the
    /// whole-body parser's results and errors.
    public static func split(_ body: UnsafeRawBufferPointer) -> ListScan? {
        guard let scan = try? ListScan(bytes: body), scan.hasItemsArray else { return nil }
        return scan
    }

    /// `apiVersion` of the list, "" when absent.
    public var apiVersion: String { members["apiVersion"]?.stringValue ?? "" }
    /// `kind` of the list (e.g. "PodList"), "" when absent.
    public var kind: String { members["kind"]?.stringValue ?? "" }
}
