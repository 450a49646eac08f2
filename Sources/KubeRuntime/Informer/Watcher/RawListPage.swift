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

    /// Splits a list response body into its items' bytes without building a JSON tree.
    /// Items without `kind`/`apiVersion` (the API server omits them) get the list's, as
    /// client-go's unstructured lists do, so cached objects are complete.
    public init(body: [UInt8]) throws(KubeError) {
        var reader = ListItemReader()
        var items: [[UInt8]] = []
        let collect = { (item: [UInt8]) throws(KubeError) in items.append(item) }
        let fed = body.withUnsafeBytes { raw -> KubeError? in
            do throws(KubeError) {
                try reader.feed(raw, collect)
                return nil
            } catch {
                return error
            }
        }
        if let fed { throw fed }
        let (rv, token) = try reader.finish(collect)
        self.init(items: items, resourceVersion: rv, continueToken: token)
    }
}
