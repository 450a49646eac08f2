#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeCore

/// What `ObjectStorage` records besides the stored bytes.
struct ObjectStorageHeader {
    /// Bytes stored after the header.
    var storedCount: UInt32
    /// Length of the compact JSON the stored bytes expand to.
    var jsonCount: UInt32
    /// UTF-8 length of the namespace at the start of the key (0: cluster-scoped).
    var namespaceLength: UInt32
    /// The stored bytes hold key tokens (`CompactObjectCodec`); false: plain compact JSON.
    var tokenized: Bool
    /// `metadata.resourceVersion` (short: stored inline in the String).
    var resourceVersion: String
}

/// One cached object in a single allocation: a small header and the object's compact form.
/// Written only while being created, immutable afterwards (see `StorageBox`).
final class ObjectStorage: ManagedBuffer<ObjectStorageHeader, UInt8> {
    /// Encodes `input` (skipping `skip`) into a new storage of exactly the encoded size.
    /// `owner`: a hash of the object's key (values only this object holds are not shared);
    /// nil: share no values (key tokens only).
    static func make(
        _ input: UnsafeBufferPointer<UInt8>, skipping skip: Range<Int>?,
        namespaceLength: Int, resourceVersion: String, owner: UInt32?
    ) throws(JSONError) -> ObjectStorage {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(input.count, 1)) {
            (scratch) throws(JSONError) -> ObjectStorage in
            guard let out = scratch.baseAddress else { throw JSONError(offset: 0, message: "no scratch buffer") }
            var tokenized = true
            var encoded: CompactObjectCodec.Encoded?
            if let owner {
                encoded = try ValueTable.shared.withWriter { (values) throws(JSONError) -> CompactObjectCodec.Encoded? in
                    values.pointee.owner = owner
                    return try CompactObjectCodec.encode(input, skipping: skip, tokenize: true, values: values, into: out)
                }
            } else {
                encoded = try CompactObjectCodec.encode(input, skipping: skip, tokenize: true, into: out)
            }
            if encoded == nil {
                tokenized = false
                encoded = try CompactObjectCodec.encode(input, skipping: skip, tokenize: false, into: out)
            }
            let sizes = encoded ?? CompactObjectCodec.Encoded(count: 0, jsonCount: 0)
            let header = ObjectStorageHeader(
                storedCount: UInt32(clamping: sizes.count), jsonCount: UInt32(clamping: sizes.jsonCount),
                namespaceLength: UInt32(clamping: namespaceLength), tokenized: tokenized,
                resourceVersion: resourceVersion)
            let buffer = ObjectStorage.create(minimumCapacity: sizes.count) { _ in header }
            buffer.withUnsafeMutablePointerToElements { elements in
                elements.initialize(from: out, count: sizes.count)
            }
            // `create` returns the class it was called on.
            return unsafeDowncast(buffer, to: ObjectStorage.self)
        }
    }

    var storedCount: Int { Int(header.storedCount) }
    var jsonCount: Int { Int(header.jsonCount) }

    /// The stored bytes (tokenized or not).
    func withStoredBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let count = storedCount
        return try withUnsafeMutablePointerToElements { (p) throws(E) -> R in
            try body(UnsafeBufferPointer(start: p, count: count))
        }
    }

    /// The object's compact JSON, expanded into a temporary buffer when tokenized.
    func withJSONBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if !header.tokenized { return try withStoredBytes(body) }
        let count = jsonCount
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) {
            (scratch) throws(E) -> R in
            guard let out = scratch.baseAddress else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            let written = withStoredBytes { CompactObjectCodec.decode($0, into: out, capacity: count) }
            return try body(UnsafeBufferPointer(start: out, count: written))
        }
    }

    /// The object's compact JSON as a new array.
    func jsonArray() -> [UInt8] {
        if !header.tokenized { return withStoredBytes { Array($0) } }
        let count = jsonCount
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let out = buffer.baseAddress else {
                initialized = 0
                return
            }
            initialized = withStoredBytes { CompactObjectCodec.decode($0, into: out, capacity: count) }
        }
    }

    /// Same JSON. Equal stored bytes mean equal JSON, but not the other way round: the
    /// encoding depends on what `ValueTable` held when each was encoded.
    func sameJSON(as other: ObjectStorage) -> Bool {
        if self === other { return true }
        guard jsonCount == other.jsonCount else { return false }
        if header.tokenized == other.header.tokenized,
           withStoredBytes({ a in other.withStoredBytes { b in Self.equal(a, b) } }) {
            return true
        }
        return withJSONBytes { a in other.withJSONBytes { b in Self.equal(a, b) } }
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == 0 }
        return memcmp(pa, pb, a.count) == 0
    }
}

/// Holds an `ObjectStorage` in a `Sendable` value (ManagedBuffer subclasses cannot declare
/// Sendable themselves). Safe: the storage is immutable once made.
struct StorageBox: @unchecked Sendable {
    let storage: ObjectStorage
}
