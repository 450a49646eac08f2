import KubeCore

extension DynamicResource {
    /// LIST in pages of `pageSize`, handing each page's JSON bytes to `onPage` as it arrives
    /// (no tree is built: the continue token is read with `KubeCore.ListScan`). Returns the
    /// resourceVersion of the snapshot, from which a watch continues.
    ///
    /// For caches and the C ABI: split items with `ListScan(bytes:)` in `onPage`. An expired
    /// continue token (410) is thrown, not retried: a caller that kept earlier pages must
    /// start over anyway.
    @discardableResult
    public func listPagesRaw(_ options: ListOptions = ListOptions(), pageSize: Int = 500,
                             onPage: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> String {
        var pageOptions = options
        pageOptions.limit = pageSize > 0 ? pageSize : nil
        pageOptions.continueToken = nil
        while true {
            let body = try listRaw(pageOptions)
            let scan: ListScan
            do {
                scan = try body.withUnsafeBytes { raw in try ListScan(bytes: raw) }
            } catch {
                throw .decoding("malformed JSON from the server for list \(resource.groupResource): \(error)")
            }
            try onPage(body)
            if scan.continueToken.isEmpty { return scan.resourceVersion }
            pageOptions.continueToken = scan.continueToken
            pageOptions.resourceVersion = nil
            pageOptions.resourceVersionMatch = nil
        }
    }
}
