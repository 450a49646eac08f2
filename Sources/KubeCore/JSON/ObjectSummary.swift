/// The identity and index fields of one Kubernetes object, read straight from its JSON
/// bytes without building a tree (with `JSONScanner.scanObjectMetadata`).
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
        var cursor = JSONScanner(scanner.base, at: range.lowerBound)
        let fields = try cursor.scanObjectMetadata()
        name = fields.name ?? ""
        namespace = fields.namespace ?? ""
        resourceVersion = fields.resourceVersion ?? ""
        uid = fields.uid ?? ""
        labels = fields.labels
    }

    /// Reads the summary of a whole buffer holding one object.
    public init(bytes: UnsafeRawBufferPointer) throws(JSONError) {
        let scanner = JSONScanner(bytes)
        try self.init(scanning: scanner, objectAt: try scanner.valueRange(at: 0))
    }
}
