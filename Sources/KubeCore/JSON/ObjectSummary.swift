/// The identity and index fields of one Kubernetes object, read straight from its JSON
/// bytes without building a tree: what caches, listers and selectors need.
public struct ObjectSummary: Sendable, Hashable {
    public var name: String = ""
    public var namespace: String = ""
    public var resourceVersion: String = ""
    public var uid: String = ""
    public var labels: [String: String] = [:]

    public init() {}

    /// `namespace/name`, or `name` for cluster-scoped objects (client-go's MetaNamespaceKeyFunc).
    public var key: String { ObjectKey.make(namespace: namespace, name: name) }

    /// Reads the summary of the object in `range` of the scanner's buffer.
    public init(scanning scanner: JSONScanner, objectAt range: Range<Int>) throws(JSONError) {
        guard let meta = try scanner.member("metadata", ofObjectAt: range.lowerBound) else { return }
        var summary = ObjectSummary()
        try scanner.forEachMember(ofObjectAt: meta.lowerBound) { (k, v) throws(JSONError) -> Bool in
            if scanner.key(k, is: "name") {
                summary.name = try scanner.string(v) ?? ""
            } else if scanner.key(k, is: "namespace") {
                summary.namespace = try scanner.string(v) ?? ""
            } else if scanner.key(k, is: "resourceVersion") {
                summary.resourceVersion = try scanner.string(v) ?? ""
            } else if scanner.key(k, is: "uid") {
                summary.uid = try scanner.string(v) ?? ""
            } else if scanner.key(k, is: "labels"), scanner.byte(v.lowerBound) == UInt8(ascii: "{") {
                try scanner.forEachMember(ofObjectAt: v.lowerBound) { (lk, lv) throws(JSONError) -> Bool in
                    let labelKey = try scanner.string((lk.lowerBound - 1)..<(lk.upperBound + 1)) ?? ""
                    summary.labels[labelKey] = try scanner.string(lv) ?? ""
                    return true
                }
            }
            return true
        }
        self = summary
    }

    /// Reads the summary of a whole buffer holding one object.
    public init(bytes: UnsafeRawBufferPointer) throws(JSONError) {
        let scanner = JSONScanner(bytes)
        try self.init(scanning: scanner, objectAt: try scanner.valueRange(at: 0))
    }
}

/// A list response split into items without parsing them: each item's byte range plus
/// the list's resourceVersion and continue token.
public struct ListScan: Sendable {
    public var items: [Range<Int>] = []
    public var resourceVersion: String = ""
    public var continueToken: String = ""
    public var remainingItemCount: Int64?

    public init(bytes: UnsafeRawBufferPointer) throws(JSONError) {
        let scanner = JSONScanner(bytes)
        var scan = ListScan(empty: ())
        let end = try scanner.forEachMember(ofObjectAt: 0) { (k, v) throws(JSONError) -> Bool in
            if scanner.key(k, is: "items"), scanner.byte(v.lowerBound) == UInt8(ascii: "[") {
                try scanner.forEachElement(ofArrayAt: v.lowerBound) { (item) throws(JSONError) -> Bool in
                    scan.items.append(item)
                    return true
                }
            } else if scanner.key(k, is: "metadata") {
                try scanner.forEachMember(ofObjectAt: v.lowerBound) { (mk, mv) throws(JSONError) -> Bool in
                    if scanner.key(mk, is: "resourceVersion") {
                        scan.resourceVersion = try scanner.string(mv) ?? ""
                    } else if scanner.key(mk, is: "continue") {
                        scan.continueToken = try scanner.string(mv) ?? ""
                    } else if scanner.key(mk, is: "remainingItemCount") {
                        scan.remainingItemCount = try scanner.value(mv).intValue
                    }
                    return true
                }
            }
            return true
        }
        if scanner.skipWhitespace(end) != scanner.count {
            throw JSONError(offset: end, message: "unexpected data after the list")
        }
        self = scan
    }

    private init(empty: ()) {}
}
