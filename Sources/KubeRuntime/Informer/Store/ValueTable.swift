import KubeCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cache's shared dictionary of repeated values: a value (a string, or a whole object or
/// array in its encoded form) that occurs in more than one cached object is stored here once
/// and referenced from each object by a 2–4 byte token (`CompactObjectCodec`).
///
/// Objects made from one template (the pods of a ReplicaSet) repeat most of their bytes:
/// image names, probes, resources, volume mounts, tolerations, conditions, whole
/// `managedFields` entries. Values of one object only (names, uids, hashes, its status) are
/// not interned: a value is interned when a second object holds it (a lossy table remembers
/// each value seen once with the key of the object that held it), so new versions of one
/// object arriving by watch do not grow the table. The table grows with what objects share,
/// and stops growing at `maxEntries` / `maxBytes` (objects then keep their values inline).
/// Entries are never removed: values that objects stopped sharing stay until the process ends.
///
/// Concurrency: entries are append-only and never move or change. Readers (expanding an
/// object) take no lock: an object can only hold a reference to an entry that was complete
/// before the object was made, and objects reach other threads through a lock or queue.
/// Writers (encoding objects) hold `writer`'s lock for one object at a time.
///
/// `@unchecked Sendable`: `chunks` and what it points to are written only under `writer`'s
/// lock, and only at indexes no reader has been given yet.
final class ValueTable: @unchecked Sendable {
    /// The process's table (the cache's objects all use it).
    static let shared = ValueTable()

    /// One entry: its encoded bytes and the length of the JSON they expand to.
    struct Record {
        var bytes: UnsafePointer<UInt8>?
        var count: UInt32
        var jsonCount: UInt32
    }

    static let chunkShift = 12
    static let chunkSize = 1 << chunkShift
    /// References carry at most 3 index bytes.
    static let indexLimit = 1 << 24

    let maxEntries: Int
    /// Record `i` is `chunks[i >> chunkShift]![i & (chunkSize - 1)]`; chunk pointers are
    /// allocated up front (nil until used), so readers never see the array move.
    let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Record>?>
    let writer: Locked<ValueTableWriter>

    /// A table holding at most `maxEntries` entries and `maxBytes` bytes of values.
    init(maxEntries: Int = ValueTable.indexLimit, maxBytes: Int = 256 << 20) {
        let entries = min(max(maxEntries, 0), Self.indexLimit)
        self.maxEntries = entries
        let chunkCount = (entries + Self.chunkSize - 1) >> Self.chunkShift
        chunks = .allocate(capacity: max(chunkCount, 1))
        chunks.initialize(repeating: nil, count: max(chunkCount, 1))
        writer = Locked(ValueTableWriter(chunks: chunks, maxEntries: entries, maxBytes: maxBytes))
    }

    deinit {
        writer.withLock { $0.release() }
        let chunkCount = max((maxEntries + Self.chunkSize - 1) >> Self.chunkShift, 1)
        for i in 0..<chunkCount { chunks[i]?.deallocate() }
        chunks.deallocate()
    }

    /// The entry `index`, or nil if there is none (never for an index read from an object).
    @inline(__always)
    func record(_ index: Int) -> Record? {
        guard index < maxEntries, let chunk = chunks[index >> Self.chunkShift] else { return nil }
        let r = chunk[index & (Self.chunkSize - 1)]
        return r.bytes == nil ? nil : r
    }

    /// Calls `body` with the writer, holding the lock.
    func withWriter<R, E: Error>(_ body: (UnsafeMutablePointer<ValueTableWriter>) throws(E) -> R) throws(E) -> sending R
    where R: Sendable {
        try writer.withLock { (w: inout ValueTableWriter) throws(E) -> R in
            try withUnsafeMutablePointer(to: &w) { (p) throws(E) -> R in try body(p) }
        }
    }

    /// Entries and bytes held (for tests and benchmarks).
    var usage: (entries: Int, bytes: Int) {
        writer.withLock { w in
            (w.count, w.storedBytes + w.count * MemoryLayout<Record>.stride + w.slots.count * 8 + w.candidates.count * 8)
        }
    }
}

/// The writing side of a `ValueTable`, used under its lock.
struct ValueTableWriter {
    private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<ValueTable.Record>?>
    private let maxEntries: Int
    private let maxBytes: Int
    private(set) var count = 0
    /// Bytes of entries stored.
    private(set) var storedBytes = 0
    /// Open-addressed index of the entries (linear probing): 0, or the hash's high half << 32 | (index + 1).
    private(set) var slots: UnsafeMutableBufferPointer<UInt64>
    /// Values seen in one object only: fingerprint << 32 | owner (lossy: a newer value
    /// overwrites an older one).
    private(set) var candidates: UnsafeMutableBufferPointer<UInt64>
    /// A hash of the key of the object being encoded (`reference` interns a value only when
    /// another object held it before).
    var owner: UInt32 = 0
    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var block: UnsafeMutablePointer<UInt8>?
    private var blockUsed = 0
    private static let blockSize = 64 << 10

    init(chunks: UnsafeMutablePointer<UnsafeMutablePointer<ValueTable.Record>?>, maxEntries: Int, maxBytes: Int) {
        self.chunks = chunks
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
        slots = .allocate(capacity: 1024)
        slots.initialize(repeating: 0)
        candidates = .allocate(capacity: 1 << 14)
        candidates.initialize(repeating: 0)
    }

    mutating func release() {
        for b in blocks { b.deallocate() }
        blocks = []
        slots.deallocate()
        candidates.deallocate()
        slots = .init(start: nil, count: 0)
        candidates = .init(start: nil, count: 0)
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 32)
    }

    /// The entry holding `p[0..<n]` (encoded bytes expanding to `jsonCount` bytes of JSON):
    /// the existing one, a new one when these bytes were seen before, or nil the first time
    /// (and when the table is full), and when only objects with the same `owner` held it.
    mutating func reference(_ p: UnsafePointer<UInt8>, _ n: Int, jsonCount: Int) -> Int? {
        let h = Self.hash(p, n)
        let tag = h >> 32
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[slot]
            if e == 0 { break }
            if e >> 32 == tag {
                let index = Int(e & 0xFFFF_FFFF) - 1
                if let chunk = chunks[index >> ValueTable.chunkShift] {
                    let r = chunk[index & (ValueTable.chunkSize - 1)]
                    if Int(r.count) == n, let b = r.bytes, memcmp(b, p, n) == 0 { return index }
                }
            }
            slot = (slot + 1) & mask
        }
        let c = Int(truncatingIfNeeded: h >> 20) & (candidates.count - 1)
        let fingerprint = tag | 1
        let seen = candidates[c]
        if seen >> 32 != fingerprint || UInt32(truncatingIfNeeded: seen) == owner {
            candidates[c] = fingerprint << 32 | UInt64(owner)
            return nil
        }
        guard count < maxEntries, storedBytes + n <= maxBytes, jsonCount <= Int(UInt32.max),
              let stored = store(p, n) else { return nil }
        let index = count
        let chunkIndex = index >> ValueTable.chunkShift
        if chunks[chunkIndex] == nil {
            let chunk = UnsafeMutablePointer<ValueTable.Record>.allocate(capacity: ValueTable.chunkSize)
            chunk.initialize(repeating: ValueTable.Record(bytes: nil, count: 0, jsonCount: 0), count: ValueTable.chunkSize)
            chunks[chunkIndex] = chunk
        }
        chunks[chunkIndex]?[index & (ValueTable.chunkSize - 1)] = ValueTable.Record(
            bytes: UnsafePointer(stored), count: UInt32(n), jsonCount: UInt32(jsonCount))
        count += 1
        storedBytes += n
        // Load ≤ 3/4: at tens of thousands of entries the index is a good part of the table.
        if count * 4 > slots.count * 3 {
            grow()
            mask = slots.count - 1
            slot = Int(truncatingIfNeeded: h) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = tag << 32 | UInt64(index + 1)
        return index
    }

    /// Copies `n` bytes into the arena (blocks never move or get freed while the table lives).
    private mutating func store(_ p: UnsafePointer<UInt8>, _ n: Int) -> UnsafeMutablePointer<UInt8>? {
        if n > Self.blockSize / 4 {
            let own = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            own.initialize(from: p, count: n)
            blocks.append(own)
            return own
        }
        if block == nil || blockUsed + n > Self.blockSize {
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.blockSize)
            blocks.append(fresh)
            block = fresh
            blockUsed = 0
        }
        guard let block else { return nil }
        let at = block + blockUsed
        at.initialize(from: p, count: n)
        blockUsed += n
        return at
    }

    private mutating func grow() {
        let old = slots
        let bigger = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: old.count * 2)
        bigger.initialize(repeating: 0)
        let mask = bigger.count - 1
        for e in old where e != 0 {
            let index = Int(e & 0xFFFF_FFFF) - 1
            guard let chunk = chunks[index >> ValueTable.chunkShift],
                  let b = chunk[index & (ValueTable.chunkSize - 1)].bytes else { continue }
            let h = Self.hash(b, Int(chunk[index & (ValueTable.chunkSize - 1)].count))
            var slot = Int(truncatingIfNeeded: h) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = e
        }
        slots = bigger
        old.deallocate()
    }
}
