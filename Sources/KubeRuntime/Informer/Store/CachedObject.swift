import KubeClient
import KubeCore

/// One Kubernetes object as the informer cache holds it: its compact JSON bytes plus the
/// few fields the cache needs at every change (key, name, namespace, resourceVersion);
/// labels and uid are read from the bytes when asked for.
///
/// This is what keeps the cache no bigger than the objects' JSON: there is no JSON tree.
/// The value is immutable, so nothing a caller gets from the cache can change the cache;
/// copies share the same bytes. Parse it when you need more (`json()`), or decode it
/// into a typed model.
public struct CachedObject: Sendable, Hashable, CustomStringConvertible {
    /// The object as compact JSON (UTF-8).
    public let bytes: [UInt8]
    /// `namespace/name`, or `name` for cluster-scoped objects.
    public let key: String
    /// `metadata.namespace`, or "" for cluster-scoped objects.
    public let namespace: String
    /// `metadata.name`.
    public let name: String
    /// `metadata.resourceVersion`, "" when absent.
    public let resourceVersion: String
    /// `metadata.uid`, "" when absent (read from the bytes on each use).
    public var uid: String { scanned?.uid ?? "" }
    /// `metadata.labels` (read from the bytes on each use: a label map per cached object
    /// would cost more memory than many objects' JSON, and selectors read it rarely).
    public var labels: [String: String] { scanned?.labels ?? [:] }

    private var scanned: ScannedMetadata? {
        bytes.withUnsafeBufferPointer { buf in
            var scanner = ObjectScanner(buf)
            return try? scanner.scanObjectMetadata()
        }
    }

    /// Reads an object from JSON bytes (any formatting); the bytes are compacted.
    /// Throws `KubeError.decoding` when they are not a JSON object with `metadata.name`.
    public init(bytes: [UInt8]) throws(KubeError) {
        try self.init(compactBytes: compactJSON(bytes), dropManagedFields: false)
    }

    /// Reads an object from a JSON value.
    public init(json: JSON) throws(KubeError) {
        try self.init(compactBytes: json.serializedBytes(), dropManagedFields: false)
    }

    /// `bytes` must already be compact. With `dropManagedFields`, `metadata.managedFields`
    /// is cut out of the bytes (the usual cache transform: it is often half an object).
    init(compactBytes: [UInt8], dropManagedFields: Bool) throws(KubeError) {
        let fields: ScannedMetadata
        do throws(ObjectScanError) {
            fields = try compactBytes.withUnsafeBufferPointer { (buf) throws(ObjectScanError) -> ScannedMetadata in
                var scanner = ObjectScanner(buf)
                return try scanner.scanObjectMetadata()
            }
        } catch {
            throw .decoding(error.description)
        }
        guard let name = fields.name, !name.isEmpty else {
            throw .decoding("object has no metadata.name")
        }
        var bytes = compactBytes
        if dropManagedFields, let cut = fields.managedFieldsMember {
            // A fresh array of exactly the remaining size: removeSubrange would keep the
            // whole original capacity alive in the cache.
            var trimmed: [UInt8] = []
            trimmed.reserveCapacity(compactBytes.count - cut.count)
            trimmed.append(contentsOf: compactBytes[..<cut.lowerBound])
            trimmed.append(contentsOf: compactBytes[cut.upperBound...])
            bytes = trimmed
        }
        self.bytes = bytes
        self.name = name
        self.namespace = fields.namespace ?? ""
        self.key = self.namespace.isEmpty ? name : self.namespace + "/" + name
        self.resourceVersion = fields.resourceVersion ?? ""
    }

    /// The object parsed into a JSON tree (parsed on every call: the cache keeps bytes only).
    public func json() throws(KubeError) -> JSON {
        do throws(JSONError) {
            return try JSON.parse(bytes: bytes)
        } catch {
            throw .decoding(error.description)
        }
    }

    /// The object as a JSON string.
    public var jsonString: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "\(key)@\(resourceVersion)" }

    public static func == (lhs: CachedObject, rhs: CachedObject) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// The metadata fields the cache extracts, and where `managedFields` sits in the bytes.
struct ScannedMetadata {
    var name: String?
    var namespace: String?
    var resourceVersion: String?
    var uid: String?
    var labels: [String: String] = [:]
    /// The byte range of the `"managedFields":[...]` member with one adjacent comma.
    var managedFieldsMember: Range<Int>?
}

extension ObjectScanner {
    /// Scans an object (at `pos`) for its metadata fields without building a tree.
    mutating func scanObjectMetadata() throws(ObjectScanError) -> ScannedMetadata {
        var result = ScannedMetadata()
        try forEachMember { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) in
            guard s.keyEquals(key, "metadata"), s.peek() == UInt8(ascii: "{") else {
                try s.skipValue()
                return
            }
            var previousMemberEnd: Int?
            try s.forEachMember { (m: inout ObjectScanner, k: Range<Int>) throws(ObjectScanError) in
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
                    while after < m.end, m.base[after] == 0x20 { after += 1 }
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
        }
        return result
    }
}
