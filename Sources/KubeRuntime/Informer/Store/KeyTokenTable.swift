/// The dictionary behind the cache's compact object form: each known object key (a
/// Kubernetes field name, see `FieldNames`) with its quotes and colon, `"name":`, is stored
/// as a 2-byte token.
///
/// A token is a lead byte 0xF5–0xFC and an index byte (0xFD–0xFF lead references into
/// `ValueTable`, see `CompactObjectCodec`). Bytes 0xF5–0xFF never occur in
/// valid UTF-8, so they never occur in JSON text outside strings (only ASCII structure there)
/// nor inside them: expanding needs no JSON parsing, only a search for bytes ≥ 0xF5. Objects
/// whose bytes contain such a byte anyway (invalid UTF-8) are stored untokenized.
///
/// Built once per process (`KeyTokenTable.shared`) and never changed: tokens only have to
/// mean the same thing within one process.
///
/// `@unchecked Sendable`: the buffers are written in `init` only and then read-only.
final class KeyTokenTable: @unchecked Sendable {
    static let shared = KeyTokenTable()

    /// The first lead byte; `leadByte...0xFC` gives 8 × 256 tokens (0xFD–0xFF lead value
    /// references). Every byte from `leadByte` up is special to the codec.
    static let leadByte: UInt8 = 0xF5
    static let keyLeadCount = 8
    static let capacity = keyLeadCount * 256

    /// `"key":` of every token, back to back.
    let expansions: UnsafeMutableBufferPointer<UInt8>
    /// Token `t` expands to `expansions[offsets[t]..<offsets[t + 1]]`.
    let offsets: UnsafeMutableBufferPointer<UInt32>
    /// Open-addressed hash table: token + 1, or 0 for an empty slot.
    private let slots: UnsafeMutableBufferPointer<UInt16>
    private let slotMask: Int
    let count: Int

    private init() {
        var keys: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        func add(_ key: [UInt8]) {
            guard !key.isEmpty, keys.count < Self.capacity, seen.insert(key).inserted else { return }
            keys.append(key)
        }
        let properties = Self.words(FieldNames.properties)
        for word in properties { add(word) }
        for word in Self.words(FieldNames.wellKnown) { add(word) }
        // managedFields spell field sets as `f:<name>`.
        for word in properties { add(Array("f:".utf8) + word) }
        count = keys.count
        let total = keys.reduce(0) { $0 + $1.count + 3 }
        // 8 bytes of padding: the decoder copies expansions a word at a time.
        expansions = .allocate(capacity: total + 8)
        expansions.initialize(repeating: 0)
        offsets = .allocate(capacity: keys.count + 1)
        var at = 0
        for (t, key) in keys.enumerated() {
            offsets[t] = UInt32(at)
            expansions[at] = UInt8(ascii: "\"")
            for (i, b) in key.enumerated() { expansions[at + 1 + i] = b }
            expansions[at + 1 + key.count] = UInt8(ascii: "\"")
            expansions[at + 2 + key.count] = UInt8(ascii: ":")
            at += key.count + 3
        }
        offsets[keys.count] = UInt32(at)
        var size = 1
        while size < keys.count * 4 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0)
        slotMask = size - 1
        for (t, key) in keys.enumerated() {
            var slot = key.withUnsafeBufferPointer { Self.hash($0.baseAddress, $0.count) } & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = UInt16(t + 1)
        }
    }

    private static func words(_ text: StaticString) -> [[UInt8]] {
        let buffer = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return buffer.split(separator: UInt8(ascii: " ")).map { Array($0) }
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>?, _ n: Int) -> Int {
        guard let p else { return 0 }
        var h: UInt32 = 2_166_136_261
        for i in 0..<n { h = (h ^ UInt32(p[i])) &* 16_777_619 }
        return Int(h ^ (h >> 15))
    }

    /// The token of the key whose unquoted bytes are `p[0..<n]`, if it is in the dictionary.
    @inline(__always)
    func token(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var slot = Self.hash(p, n) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let t = entry - 1
            let start = Int(offsets[t])
            // Expansion is `"` + key + `":`.
            if Int(offsets[t + 1]) - start == n + 3 {
                var same = true
                for i in 0..<n where expansions[start + 1 + i] != p[i] {
                    same = false
                    break
                }
                if same { return t }
            }
            slot = (slot + 1) & slotMask
        }
    }
}
