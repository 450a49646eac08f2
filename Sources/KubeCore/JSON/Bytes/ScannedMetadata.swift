/// The one metadata reader: the fields an object's readers need (the informer cache, the
/// C ABI's summaries), read from its bytes without a tree, and where `managedFields` sits.
public struct ScannedMetadata: Sendable {
    public var name: String?
    public var namespace: String?
    public var resourceVersion: String?
    public var uid: String?
    public var labels: [String: String] = [:]
    /// The byte range of the `"managedFields":[...]` member with one adjacent comma.
    public var managedFieldsMember: Range<Int>?

    public init() {}
}

extension JSONScanner {
    /// Scans an object (at `pos`) for its metadata fields without building a tree. Stops
    /// after `metadata`: the members after it (usually spec and status, most of the bytes)
    /// are not looked at, so callers must check the object's structure themselves (the
    /// cache's encoder does).
    public mutating func scanObjectMetadata() throws(JSONError) -> ScannedMetadata {
        var result = ScannedMetadata()
        try forEachMemberWhile { (s: inout JSONScanner, key: Range<Int>) throws(JSONError) -> Bool in
            guard s.keyEquals(key, "metadata"), s.peek() == UInt8(ascii: "{") else {
                try s.skipValue()
                return true
            }
            var previousMemberEnd: Int?
            try s.forEachMember { (m: inout JSONScanner, k: Range<Int>) throws(JSONError) in
                // The member starts at its key's opening quote.
                let memberStart = k.lowerBound - 1
                if m.keyEquals(k, "name") {
                    result.name = try m.readOptionalString()
                } else if m.keyEquals(k, "namespace") {
                    result.namespace = try m.readOptionalString()
                } else if m.keyEquals(k, "resourceVersion") {
                    result.resourceVersion = try m.readOptionalString()
                } else if m.keyEquals(k, "uid") {
                    result.uid = try m.readOptionalString()
                } else if m.keyEquals(k, "labels") {
                    result.labels = try m.readStringMap()
                } else if m.keyEquals(k, "managedFields") {
                    try m.skipValue()
                    let memberEnd = m.pos
                    // Cut a following comma when there is one, else the preceding one.
                    var after = memberEnd
                    // Any JSON whitespace, not only spaces (found by fuzz/codec: with a tab or
                    // newline before the comma, the comma stayed and the stored JSON broke).
                    while after < m.end {
                        let c = m.base[after]
                        guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
                        after += 1
                    }
                    if after < m.end, m.base[after] == UInt8(ascii: ",") {
                        result.managedFieldsMember = memberStart..<(after + 1)
                    } else if let previousMemberEnd {
                        result.managedFieldsMember = previousMemberEnd..<memberEnd
                    } else {
                        result.managedFieldsMember = memberStart..<memberEnd
                    }
                } else {
                    try m.skipValue()
                }
                previousMemberEnd = m.pos
            }
            return false
        }
        return result
    }
}
