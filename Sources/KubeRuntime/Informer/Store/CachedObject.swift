import KubeClient
import KubeCore

/// One Kubernetes object as the informer cache holds it: one allocation with the object in
/// a compact form of its JSON (`CompactObjectCodec`: whitespace dropped, known keys as 2-byte
/// tokens, usually 30–40 % smaller than the JSON) and its resourceVersion, plus its key.
/// Name and namespace come from the key; labels and uid from the bytes when asked for.
///
/// This is what keeps the cache smaller than the objects' JSON: there is no JSON tree.
/// The value is immutable, so nothing a caller gets from the cache can change the cache;
/// copies share the same storage. `bytes` / `withJSONBytes` give the JSON (expanded on each
/// call: a few microseconds for a typical pod); parse it when you need more (`json()`), or
/// decode it into a typed model.
public struct CachedObject: Sendable, Hashable, CustomStringConvertible {
    private let box: StorageBox
    private var storage: ObjectStorage { box.storage }
    /// `namespace/name`, or `name` for cluster-scoped objects.
    public let key: String

    /// The object as compact JSON (UTF-8), expanded from the cache's form on each access:
    /// read it once per use, or use `withJSONBytes` to avoid the array.
    public var bytes: [UInt8] { storage.jsonArray() }

    /// Calls `body` with the object's compact JSON (UTF-8), valid only during the call.
    public func withJSONBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try storage.withJSONBytes(body)
    }

    /// Length of `bytes`, without expanding them.
    public var jsonByteCount: Int { storage.jsonCount }

    /// Bytes the cache holds for the object's content (its compact form).
    public var storedByteCount: Int { storage.storedCount }

    /// `metadata.namespace`, or "" for cluster-scoped objects.
    public var namespace: String {
        let length = Int(storage.header.namespaceLength)
        return length == 0 ? "" : String(Substring(key.utf8.prefix(length)))
    }

    /// `metadata.name`.
    public var name: String {
        let length = Int(storage.header.namespaceLength)
        return length == 0 ? key : String(Substring(key.utf8.dropFirst(length + 1)))
    }

    /// `metadata.resourceVersion`, "" when absent.
    public var resourceVersion: String { storage.header.resourceVersion }
    /// `metadata.uid`, "" when absent (read from the bytes on each use).
    public var uid: String { scanned?.uid ?? "" }
    /// `metadata.labels` (read from the bytes on each use: a label map per cached object
    /// would cost more memory than many objects' JSON, and selectors read it rarely).
    public var labels: [String: String] { scanned?.labels ?? [:] }

    private var scanned: ScannedMetadata? {
        withJSONBytes { buf in
            var scanner = ObjectScanner(buf)
            return try? scanner.scanObjectMetadata()
        }
    }

    /// Reads an object from JSON bytes (any formatting).
    /// Throws `KubeError.decoding` when they are not a JSON object with `metadata.name`.
    public init(bytes: [UInt8]) throws(KubeError) {
        try self.init(compactBytes: bytes, dropManagedFields: false)
    }

    /// Reads an object from a JSON value.
    public init(json: JSON) throws(KubeError) {
        try self.init(compactBytes: json.serializedBytes(), dropManagedFields: false)
    }

    /// Reads an object from JSON bytes (any formatting; the name says what is usual). With
    /// `dropManagedFields`, `metadata.managedFields` is left out while encoding (the usual
    /// cache transform: it is often a third of an object).
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
        let namespace = fields.namespace ?? ""
        do throws(ObjectScanError) {
            box = try compactBytes.withUnsafeBufferPointer { (buf) throws(ObjectScanError) -> StorageBox in
                try StorageBox(storage: ObjectStorage.make(
                    buf, skipping: dropManagedFields ? fields.managedFieldsMember : nil,
                    namespaceLength: namespace.utf8.count, resourceVersion: fields.resourceVersion ?? ""))
            }
        } catch {
            throw .decoding(error.description)
        }
        key = ObjectKey.make(namespace: namespace, name: name)
    }

    /// The object parsed into a JSON tree (parsed on every call: the cache keeps bytes only).
    public func json() throws(KubeError) -> JSON {
        do throws(JSONError) {
            return try withJSONBytes { (buf) throws(JSONError) -> JSON in try JSON.parse(UnsafeRawBufferPointer(buf)) }
        } catch {
            throw .decoding(error.description)
        }
    }

    /// The object as a JSON string.
    public var jsonString: String { withJSONBytes { String(decoding: $0, as: UTF8.self) } }

    public var description: String { "\(key)@\(resourceVersion)" }

    public static func == (lhs: CachedObject, rhs: CachedObject) -> Bool { lhs.box.storage.sameBytes(as: rhs.box.storage) }
    public func hash(into hasher: inout Hasher) {
        storage.withStoredBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
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
    /// Scans an object (at `pos`) for its metadata fields without building a tree. Stops
    /// after `metadata`: the members after it (usually spec and status, most of the bytes)
    /// are not looked at, so callers must check the object's structure themselves (the
    /// cache's encoder does).
    mutating func scanObjectMetadata() throws(ObjectScanError) -> ScannedMetadata {
        var result = ScannedMetadata()
        try forEachMemberWhile { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) -> Bool in
            guard s.keyEquals(key, "metadata"), s.peek() == UInt8(ascii: "{") else {
                try s.skipValue()
                return true
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
