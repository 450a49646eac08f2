import KubeClient
import KubeCore

/// One Kubernetes object as the informer cache holds it: one allocation with the object in
/// a compact form of its JSON (`CompactObjectCodec`: whitespace dropped, known keys as 2-byte
/// tokens, values repeated across objects as references into a shared `ValueTable`; for pods
/// of one template a fifth of the JSON or less) and its resourceVersion, plus its key.
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

    /// Bytes the cache holds for the object's content (its compact form), not counting the
    /// values it shares with other cached objects (`sharedValueUsage`).
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
            var scanner = JSONScanner(buf)
            return try? scanner.scanObjectMetadata()
        }
    }

    /// An object from the parts the indexer keeps (it holds the key once, as its dictionary key).
    init(key: String, box: StorageBox) {
        self.key = key
        self.box = box
    }

    /// The storage, for stores that keep the key apart.
    var storageBox: StorageBox { box }

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
        self = try compactBytes.withUnsafeBufferPointer { (buf) throws(KubeError) -> CachedObject in
            try CachedObject(borrowing: buf, dropManagedFields: dropManagedFields)
        }
    }

    /// `init(compactBytes:dropManagedFields:)` for bytes the caller lends (valid during the
    /// call): the watch path encodes objects straight from the transfer buffer. Without
    /// `shareValues` the object keeps every value inline (key tokens only, as before the
    /// `ValueTable`): about half the encoding's CPU, about twice its bytes.
    init(borrowing buf: UnsafeBufferPointer<UInt8>, dropManagedFields: Bool, shareValues: Bool = true) throws(KubeError) {
        let fields: ScannedMetadata
        do throws(JSONError) {
            var scanner = JSONScanner(buf)
            fields = try scanner.scanObjectMetadata()
        } catch {
            throw .decoding(error.description)
        }
        guard let name = fields.name, !name.isEmpty else {
            throw .decoding("object has no metadata.name")
        }
        let namespace = fields.namespace ?? ""
        let key = ObjectKey.make(namespace: namespace, name: name)
        do throws(JSONError) {
            box = try StorageBox(storage: ObjectStorage.make(
                buf, skipping: dropManagedFields ? fields.managedFieldsMember : nil,
                namespaceLength: namespace.utf8.count, resourceVersion: fields.resourceVersion ?? "",
                owner: shareValues ? UInt32(truncatingIfNeeded: key.hashValue) : nil))
        } catch {
            throw .decoding(error.description)
        }
        self.key = key
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

    /// Entries and bytes (with their index) of the values the process's cached objects share
    /// (see `CompactObjectCodec`): memory that belongs to all cached objects together.
    public static var sharedValueUsage: (entries: Int, bytes: Int) { ValueTable.shared.usage }

    /// Same JSON bytes.
    public static func == (lhs: CachedObject, rhs: CachedObject) -> Bool { lhs.box.storage.sameJSON(as: rhs.box.storage) }
    /// Hashes what equal JSON has in common without expanding it (the stored form of equal
    /// JSON may differ, see `CompactObjectCodec`).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(storage.jsonCount)
        hasher.combine(storage.header.resourceVersion)
    }
}
