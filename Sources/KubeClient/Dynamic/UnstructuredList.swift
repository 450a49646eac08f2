import KubeCore

/// A page (or the whole) of a LIST answer: its items plus the list metadata.
public struct UnstructuredList: Sendable, Hashable {
    /// e.g. "apps/v1".
    public var apiVersion: String
    /// e.g. "DeploymentList".
    public var kind: String
    public var items: [Unstructured]
    /// The list's `metadata.resourceVersion`: start a watch from here.
    public var resourceVersion: String
    /// The `metadata.continue` token when more pages remain, else nil.
    public var continueToken: String?
    /// The server's estimate of items after this page, when it sends one.
    public var remainingItemCount: Int64?

    public init(apiVersion: String = "", kind: String = "", items: [Unstructured] = [], resourceVersion: String = "",
                continueToken: String? = nil, remainingItemCount: Int64? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }

    /// Decodes a LIST body without a tree of the whole list: the list's fields from a small
    /// tree, each item parsed from its byte range (on two threads for big lists). Bodies
    /// that do not split (`"items": null`, malformed JSON) go through `init(json:what:)`,
    /// with its results and errors.
    init(body: [UInt8], what: String) throws(KubeError) {
        guard let split = body.withUnsafeBytes({ ListScan.split($0) }) else {
            try self.init(json: RESTClient.parseJSON(body, what: what), what: what)
            return
        }
        let list = JSON.object(split.members)
        let apiVersion = list["apiVersion"]?.stringValue ?? ""
        let kind = list["kind"]?.stringValue ?? ""
        let token = list["metadata"]?["continue"]?.stringValue ?? ""
        let itemKind = kind.hasSuffix("List") ? String(kind.dropLast(4)) : ""
        let items = try ListItemDecoder.decode(body: body, items: split.items) {
            (raw, range, index) throws(KubeError) -> Unstructured in
            let json = try TypedCoding.parseItem(raw, range: range, what: what)
            var item: Unstructured
            do throws(UnstructuredError) {
                item = try Unstructured(json: consume json)  // uniquely held: setting kind below copies nothing
            } catch {
                throw .decoding("\(what): item \(index): \(error)")
            }
            if item.kind == nil, !itemKind.isEmpty { item.kind = itemKind }
            if item.apiVersion == nil, !apiVersion.isEmpty { item.apiVersion = apiVersion }
            return item
        }
        self.init(apiVersion: apiVersion, kind: kind, items: items,
                  resourceVersion: list["metadata"]?["resourceVersion"]?.stringValue ?? "",
                  continueToken: token.isEmpty ? nil : token,
                  remainingItemCount: list["metadata"]?["remainingItemCount"]?.intValue)
    }

    /// Decodes a list body. Items without apiVersion/kind get the list's (kind without
    /// the "List" suffix), as client-go's UnstructuredList does.
    init(json: JSON, what: String) throws(KubeError) {
        guard case .object = json else { throw .decoding("\(what): expected a list object, got \(json.typeName)") }
        apiVersion = json["apiVersion"]?.stringValue ?? ""
        kind = json["kind"]?.stringValue ?? ""
        resourceVersion = json["metadata"]?["resourceVersion"]?.stringValue ?? ""
        let token = json["metadata"]?["continue"]?.stringValue ?? ""
        continueToken = token.isEmpty ? nil : token
        remainingItemCount = json["metadata"]?["remainingItemCount"]?.intValue
        var rawItems: [JSON]
        switch json["items"] {
        case .array(let array)?: rawItems = array
        case .null?, nil: rawItems = []
        default: throw .decoding("\(what): \"items\" is not an array")
        }
        let itemKind = kind.hasSuffix("List") ? String(kind.dropLast(4)) : ""
        var decoded: [Unstructured] = []
        decoded.reserveCapacity(rawItems.count)
        for index in rawItems.indices {
            let element = rawItems[index]
            rawItems[index] = .null  // release our reference so the item's storage is uniquely held
            var item: Unstructured
            do {
                item = try Unstructured(json: element)
            } catch {
                throw .decoding("\(what): item \(index): \(error)")
            }
            if item.kind == nil, !itemKind.isEmpty { item.kind = itemKind }
            if item.apiVersion == nil, !apiVersion.isEmpty { item.apiVersion = apiVersion }
            decoded.append(item)
        }
        items = decoded
    }
}
