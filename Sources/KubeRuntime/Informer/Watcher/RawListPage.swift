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
        do throws(ObjectScanError) {
            self = try body.withUnsafeBufferPointer { (buf) throws(ObjectScanError) -> RawListPage in
                var scanner = ObjectScanner(buf)
                var apiVersion = ""
                var kind = ""
                var rv = ""
                var token: String?
                var ranges: [Range<Int>] = []
                try scanner.forEachMember { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) in
                    if s.keyEquals(key, "apiVersion") {
                        apiVersion = try s.readOptionalString() ?? ""
                    } else if s.keyEquals(key, "kind") {
                        kind = try s.readOptionalString() ?? ""
                    } else if s.keyEquals(key, "metadata"), s.peek() == UInt8(ascii: "{") {
                        try s.forEachMember { (m: inout ObjectScanner, k: Range<Int>) throws(ObjectScanError) in
                            if m.keyEquals(k, "resourceVersion") {
                                rv = try m.readOptionalString() ?? ""
                            } else if m.keyEquals(k, "continue") {
                                token = try m.readOptionalString()
                            } else {
                                try m.skipValue()
                            }
                        }
                    } else if s.keyEquals(key, "items"), s.peek() == UInt8(ascii: "[") {
                        try s.forEachElement { (e: inout ObjectScanner) throws(ObjectScanError) in
                            let start = e.pos
                            try e.skipValue()
                            ranges.append(start..<e.pos)
                        }
                    } else {
                        try s.skipValue()
                    }
                }
                let itemKind = kind.hasSuffix("List") ? String(kind.dropLast(4)) : ""
                var items: [[UInt8]] = []
                items.reserveCapacity(ranges.count)
                for range in ranges {
                    items.append(try Self.completed(buf, range, apiVersion: apiVersion, kind: itemKind))
                }
                return RawListPage(items: items, resourceVersion: rv, continueToken: token)
            }
        } catch {
            throw .decoding("list: \(error)")
        }
    }

    /// The item's bytes, with `"apiVersion"` and `"kind"` prepended when it lacks them.
    private static func completed(
        _ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, apiVersion: String, kind: String
    ) throws(ObjectScanError) -> [UInt8] {
        let slice = UnsafeBufferPointer(rebasing: buf[range])
        if kind.isEmpty && apiVersion.isEmpty { return Array(slice) }
        var hasKind = false
        var hasAPIVersion = false
        var scanner = ObjectScanner(slice)
        // Servers usually put both first: stop as soon as both are seen.
        try scanner.forEachMemberWhile { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) -> Bool in
            if s.keyEquals(key, "kind") { hasKind = true }
            if s.keyEquals(key, "apiVersion") { hasAPIVersion = true }
            try s.skipValue()
            return !(hasKind && hasAPIVersion)
        }
        if (hasKind || kind.isEmpty) && (hasAPIVersion || apiVersion.isEmpty) { return Array(slice) }
        var prefix = "{"
        if !hasAPIVersion && !apiVersion.isEmpty { prefix += "\"apiVersion\":\(JSON.string(apiVersion).serialized())," }
        if !hasKind && !kind.isEmpty { prefix += "\"kind\":\(JSON.string(kind).serialized())," }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count + prefix.utf8.count)
        out.append(contentsOf: prefix.utf8)
        // Skip the item's own "{" (and an empty object's lone "}" needs the comma dropped).
        var rest = UnsafeBufferPointer(rebasing: slice[1...])
        var i = 0
        while i < rest.count, rest[i] == 0x20 || rest[i] == 0x0A || rest[i] == 0x0D || rest[i] == 0x09 { i += 1 }
        if i < rest.count, rest[i] == UInt8(ascii: "}") {
            out.removeLast()
        }
        rest = UnsafeBufferPointer(rebasing: rest[i...])
        out.append(contentsOf: rest)
        return out
    }
}
