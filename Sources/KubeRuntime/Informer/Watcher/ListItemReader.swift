import KubeClient
import KubeCore

/// Reads a list body, fed chunk by chunk, into the cache's item bytes: each item handed on
/// as soon as it is complete, with `"apiVersion"` and `"kind"` added when it lacks them (the
/// API server omits them in lists), as client-go's unstructured lists do.
///
/// An item that lacks them and arrives before the list's own `kind` and `apiVersion` (which
/// servers send first) is held until they are known, at the latest until `finish`.
struct ListItemReader {
    private var splitter = JSONListSplitter()
    private var held: [[UInt8]] = []

    /// Feeds the next bytes; `onItem` gets each completed item. Stops at the first error.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) {
        var failure: KubeError?
        var held = self.held
        self.held = []
        do throws(JSONError) {
            _ = try splitter.feed(chunk) { item in
                do throws(KubeError) {
                    if let bytes = try Self.completed(item.bytes, list: item.list, final: false) {
                        try onItem(bytes)
                    } else {
                        held.append(Array(item.bytes))
                    }
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
        } catch {
            throw .decoding("list: \(error)")
        }
        self.held = held
        if let failure { throw failure }
    }

    /// The body has ended: hands on held items; returns the list's resourceVersion and
    /// continue token. Throws `.decoding` when the body was not one whole list.
    mutating func finish(_ onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> (resourceVersion: String, continueToken: String?) {
        do throws(JSONError) {
            try splitter.finish()
        } catch {
            throw .decoding("list: \(error)")
        }
        let list = splitter.members
        for item in held {
            let completed = item.withUnsafeBytes { raw -> Result<[UInt8]?, KubeError> in
                do throws(KubeError) {
                    return .success(try Self.completed(raw, list: list, final: true))
                } catch {
                    return .failure(error)
                }
            }
            try onItem(try completed.get() ?? item)
        }
        held = []
        let metadata = list["metadata"]
        return (metadata?["resourceVersion"]?.stringValue ?? "", metadata?["continue"]?.stringValue)
    }

    /// The item's bytes, with `"apiVersion"` and `"kind"` prepended when it lacks them; nil
    /// (unless `final`) when it lacks them and the list's are not known yet.
    private static func completed(_ raw: UnsafeRawBufferPointer, list: [String: JSON], final: Bool) throws(KubeError) -> [UInt8]? {
        let slice = raw.assumingMemoryBound(to: UInt8.self)
        var hasKind = false
        var hasAPIVersion = false
        var scanner = JSONScanner(slice)
        do throws(JSONError) {
            // Servers that send them usually put both first: stop as soon as both are seen.
            try scanner.forEachMemberWhile { (s: inout JSONScanner, key: Range<Int>) throws(JSONError) -> Bool in
                if s.keyEquals(key, "kind") { hasKind = true }
                if s.keyEquals(key, "apiVersion") { hasAPIVersion = true }
                try s.skipValue()
                return !(hasKind && hasAPIVersion)
            }
        } catch {
            throw .decoding("list item: \(error)")
        }
        if hasKind && hasAPIVersion { return Array(slice) }
        if !final && (list["kind"] == nil || list["apiVersion"] == nil) { return nil }
        let apiVersion = list["apiVersion"]?.stringValue ?? ""
        let listKind = list["kind"]?.stringValue ?? ""
        let kind = listKind.hasSuffix("List") ? String(listKind.dropLast(4)) : ""
        if (hasKind || kind.isEmpty) && (hasAPIVersion || apiVersion.isEmpty) { return Array(slice) }
        var prefix = "{"
        if !hasAPIVersion && !apiVersion.isEmpty { prefix += "\"apiVersion\":\(JSON.string(apiVersion).serialized())," }
        if !hasKind && !kind.isEmpty { prefix += "\"kind\":\(JSON.string(kind).serialized())," }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count + prefix.utf8.count)
        out.append(contentsOf: prefix.utf8)
        // Skip the item's own "{" (and an empty object's lone "}" needs the comma dropped).
        var i = 1
        while i < slice.count, JSONByteSearch.isWhitespace(slice[i]) { i += 1 }
        if i < slice.count, slice[i] == UInt8(ascii: "}") { out.removeLast() }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: slice[i...]))
        return out
    }
}
