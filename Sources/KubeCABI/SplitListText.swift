import KubeClient
import KubeCore

/// The items of one or more LIST pages: one text holding every item, each item's range in
/// it, and the (last) page without its items.
struct SplitListText {
    /// Holds the items at `spans`; a single page's whole body when split in place.
    var text: [UInt8] = []
    /// offset, length of each item in `text`, flattened (the C array's layout).
    var spans: [Int] = []
    /// The list without its items (`"items": []`, or the page as sent when it has none).
    var shell: [UInt8] = []

    /// Splits `page` (structure checked, items not parsed; `KubeCore.ListScan`) and adds its
    /// items. `inPlace`: `text` becomes the page itself (one page only), else each item's bytes
    /// are appended. Returns the page's continue token ("" on the last page).
    @discardableResult
    mutating func add(page: [UInt8], what: String, inPlace: Bool) throws(KubeError) -> String {
        let scan: ListScan
        do {
            scan = try page.withUnsafeBytes { raw throws(JSONError) in try ListScan(bytes: raw) }
        } catch {
            throw .decoding("malformed JSON from the server for list \(what): \(error)")
        }
        if !scan.hasItemsArray, let items = scan.members["items"], !items.isNull {
            throw .decoding("the server's answer for list \(what) has \"items\" that is not an array")
        }
        spans.reserveCapacity(spans.count + 2 * scan.items.count)
        if inPlace {
            text = page
            for item in scan.items {
                spans.append(item.lowerBound)
                spans.append(item.count)
            }
        } else {
            for item in scan.items {
                spans.append(text.count)
                spans.append(item.count)
                text.append(contentsOf: page[item])
            }
        }
        if let first = scan.items.first, let last = scan.items.last {
            shell = Array(page[..<first.lowerBound]) + page[last.upperBound...]
        } else {
            shell = page
        }
        return scan.continueToken
    }
}
