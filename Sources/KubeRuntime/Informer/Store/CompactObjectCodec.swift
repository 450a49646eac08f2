import KubeCore

/// The cache's compact form of an object: its JSON with insignificant whitespace removed,
/// every object key found in `KeyTokenTable` (with its quotes and colon) replaced by a
/// 2-byte token, and every value (string, object, array; 6 bytes or more) that `ValueTable`
/// holds replaced by a reference to it. Everything else stays byte for byte, so expanding
/// is a copy that splices keys and values back in.
///
/// Special bytes (all ≥ 0xF5, which valid UTF-8 never holds): 0xF5–0xFC + 1 byte: a key
/// token; 0xFF + 1 byte, 0xFD + 2 bytes, 0xFE + 3 bytes (big-endian): the `ValueTable` entry
/// of that index. Entries are encoded the same way (an entry only refers to older ones).
///
/// The form depends on what the table held when the object was encoded (a value is interned
/// the second time it is seen), so equal JSON may be stored as different bytes: compare
/// expanded bytes (`ObjectStorage.sameJSON`).
enum CompactObjectCodec {
    /// Sizes of one encoding.
    struct Encoded {
        /// Bytes written.
        var count: Int
        /// Length of the compact JSON the bytes expand to.
        var jsonCount: Int
    }

    /// Shortest value worth a reference (a reference takes 2–4 bytes).
    static let minimumInterned = 6
    /// Values are looked up in the table down to this depth (objects and arrays opened at
    /// depth 1 to `trackedDepth - 1`, strings inside them); deeper ones stay inside their
    /// container's entry. Each lookup costs a hash and a compare on every event of the watch
    /// path, and the deep parts (managedFields' field sets) are shared as a whole anyway.
    /// For the benchmark pod: 6 → ≈ 170 lookups per pod instead of ≈ 210 at no measurable
    /// memory cost; 5 → ≈ 100 lookups but 130 more bytes per pod.
    static let trackedDepth = 6
    static let referenceLead1: UInt8 = 0xFF
    static let referenceLead2: UInt8 = 0xFD
    static let referenceLead3: UInt8 = 0xFE

    /// Byte classes for the encoder: 1 = `"`, 2 = `\`, 3 = a token lead byte (≥ 0xF5),
    /// 4 = JSON whitespace, 5 = `{` `[`, 6 = `}` `]`.
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        table[Int(UInt8(ascii: "\""))] = 1
        table[Int(UInt8(ascii: "\\"))] = 2
        for b in Int(KeyTokenTable.leadByte)...0xFF { table[b] = 3 }
        for b in [0x20, 0x0A, 0x0D, 0x09] { table[b] = 4 }
        table[Int(UInt8(ascii: "{"))] = 5
        table[Int(UInt8(ascii: "["))] = 5
        table[Int(UInt8(ascii: "}"))] = 6
        table[Int(UInt8(ascii: "]"))] = 6
        return table
    }()

    /// Writes a reference to entry `index` at `p`; returns its length (2–4).
    @inline(__always)
    static func writeReference(_ index: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if index < 0x100 {
            p[0] = referenceLead1
            p[1] = UInt8(truncatingIfNeeded: index)
            return 2
        }
        if index < 0x1_0000 {
            p[0] = referenceLead2
            p[1] = UInt8(truncatingIfNeeded: index >> 8)
            p[2] = UInt8(truncatingIfNeeded: index)
            return 3
        }
        p[0] = referenceLead3
        p[1] = UInt8(truncatingIfNeeded: index >> 16)
        p[2] = UInt8(truncatingIfNeeded: index >> 8)
        p[3] = UInt8(truncatingIfNeeded: index)
        return 4
    }

    /// Replaces `out[start..<end]` (a whole value expanding to `jsonCount` bytes) by a
    /// reference when the table interns it; returns the new end. A value worth a reference
    /// that stays inline marks the object or array holding it (`stack[3 * level + 2]`): a
    /// container of a value not shared (yet) is not looked up at all, which keeps the
    /// encoder from hashing the big unique containers (the object, its status) again and again.
    @inline(__always)
    private static func intern(
        _ values: UnsafeMutablePointer<ValueTableWriter>, _ out: UnsafeMutablePointer<UInt8>,
        _ start: Int, _ end: Int, jsonCount: Int, holder: UnsafeMutablePointer<Int>
    ) -> Int {
        guard end - start >= minimumInterned else { return end }
        guard let index = values.pointee.reference(out + start, end - start, jsonCount: jsonCount) else {
            holder.pointee = 1
            return end
        }
        return start + writeReference(index, to: out + start)
    }

    /// Writes the compact form of `input` (a JSON object, any formatting) to `out`, leaving out
    /// `input[skip]` (a whole member with one comma, or nothing). `out` must have room for
    /// `input.count` bytes: the result is never longer. With `values` (only with `tokenize`),
    /// repeated values become references into its table.
    ///
    /// With `tokenize`, returns nil when the input holds a byte ≥ 0xF5 (invalid UTF-8): such
    /// an object must be stored untokenized (call again without `tokenize`).
    static func encode(
        _ input: UnsafeBufferPointer<UInt8>, skipping skip: Range<Int>?, tokenize: Bool,
        values: UnsafeMutablePointer<ValueTableWriter>? = nil,
        into out: UnsafeMutablePointer<UInt8>
    ) throws(JSONError) -> Encoded? {
        guard let p = input.baseAddress else { return Encoded(count: 0, jsonCount: 0) }
        let n = input.count
        let skipStart = skip?.lowerBound ?? -1
        let skipEnd = skip?.upperBound ?? -1
        var skipped = skip == nil
        let table = KeyTokenTable.shared
        let lead = Int(KeyTokenTable.leadByte)
        let values = tokenize ? values : nil
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * trackedDepth) {
            (starts) throws(JSONError) -> Encoded? in
            // Per open object/array: out offset, json offset where it began; 1 if it holds a
            // value left inline.
            guard let stack = starts.baseAddress else { throw JSONError(offset: 0, message: "no stack") }
            return try classes.withUnsafeBufferPointer { (cls) throws(JSONError) -> Encoded? in
                var i = 0
                var o = 0
                var json = 0
                // Bracket depth: the scanners look at the metadata only, so the encoder checks
                // that the whole text is one balanced value (strings are checked as copied).
                var depth = 0
                while i < n {
                    if i == skipStart {
                        i = skipEnd
                        skipped = true
                        continue
                    }
                    let c = p[i]
                    switch cls[Int(c)] {
                    case 0:
                        if depth == 0 { throw JSONError(offset: i, message: "expected an object") }
                        out[o] = c
                        o += 1
                        json += 1
                        i += 1
                    case 4:
                        i += 1
                    case 5:
                        if depth == 0 && o > 0 { throw JSONError(offset: i, message: "data after the object") }
                        if depth < trackedDepth {
                            stack[3 * depth] = o
                            stack[3 * depth + 1] = json
                            stack[3 * depth + 2] = 0
                        }
                        depth += 1
                        out[o] = c
                        o += 1
                        json += 1
                        i += 1
                    case 6:
                        depth -= 1
                        if depth < 0 { throw JSONError(offset: i, message: "unbalanced '\(Character(Unicode.Scalar(c)))'") }
                        out[o] = c
                        o += 1
                        json += 1
                        i += 1
                        // A whole nested object or array (not the object itself).
                        if let values, depth >= 1, depth < trackedDepth {
                            let holder = stack + 3 * (depth - 1) + 2
                            if stack[3 * depth + 2] != 0 {
                                holder.pointee = 1
                            } else {
                                o = intern(values, out, stack[3 * depth], o,
                                           jsonCount: json - stack[3 * depth + 1], holder: holder)
                            }
                        }
                    case 1:
                        if depth == 0 { throw JSONError(offset: i, message: "expected an object") }
                        // A string: find its closing quote.
                        var j = i + 1
                        var escaped = false
                        while j < n {
                            j = JSONByteSearch.stringStop(p, j, n, stopAtHigh: tokenize)
                            guard j < n else { break }
                            let b = p[j]
                            if b == UInt8(ascii: "\"") { break }
                            if b == UInt8(ascii: "\\") {
                                // The escaped byte is skipped unexamined: a lead byte there would
                                // be stored raw and read back as a token (found by fuzz/codec).
                                if tokenize && j + 1 < n && p[j + 1] >= KeyTokenTable.leadByte { return nil }
                                escaped = true
                                j += 2
                            } else {
                                // Non-ASCII (only stopped at when tokenizing).
                                if b >= KeyTokenTable.leadByte { return nil }
                                j += 1
                            }
                        }
                        guard j < n else { throw JSONError(offset: i, message: "unterminated string") }
                        let length = j + 1 - i
                        if tokenize {
                            var k = j + 1
                            while k < n && cls[Int(p[k])] == 4 { k += 1 }
                            if k < n && p[k] == UInt8(ascii: ":") {
                                // A key: its token, else the key with its colon as a value.
                                if !escaped, let t = table.token(p + i + 1, j - i - 1) {
                                    out[o] = UInt8(truncatingIfNeeded: lead + t >> 8)
                                    out[o + 1] = UInt8(truncatingIfNeeded: t)
                                    o += 2
                                } else {
                                    let start = o
                                    (out + o).update(from: p + i, count: length)
                                    out[o + length] = UInt8(ascii: ":")
                                    o += length + 1
                                    if let values, depth <= trackedDepth {
                                        o = intern(values, out, start, o, jsonCount: length + 1,
                                                   holder: stack + 3 * (depth - 1) + 2)
                                    }
                                }
                                json += length + 1
                                i = k + 1
                                continue
                            }
                        }
                        let start = o
                        (out + o).update(from: p + i, count: length)
                        o += length
                        json += length
                        i = j + 1
                        if let values, depth <= trackedDepth {
                            o = intern(values, out, start, o, jsonCount: length, holder: stack + 3 * (depth - 1) + 2)
                        }
                    default:
                        // A backslash or a byte ≥ 0xF5 outside a string: not JSON text.
                        if tokenize && c >= KeyTokenTable.leadByte { return nil }
                        out[o] = c
                        o += 1
                        json += 1
                        i += 1
                    }
                }
                guard depth == 0 && o > 0 else { throw JSONError(offset: n, message: "unterminated object") }
                guard skipped else { throw JSONError(offset: skipStart, message: "member to drop not found") }
                return Encoded(count: o, jsonCount: json)
            }
        }
    }

    /// Expands tokenized bytes into `out` (room for `capacity` bytes: the JSON length recorded
    /// at encoding). Returns the bytes written.
    @discardableResult
    static func decode(
        _ encoded: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, capacity: Int,
        values: ValueTable = .shared
    ) -> Int {
        let table = KeyTokenTable.shared
        guard let p = encoded.baseAddress, let expansions = table.expansions.baseAddress,
              let offsets = table.offsets.baseAddress else { return 0 }
        return expand(p, encoded.count, into: out, capacity: capacity,
                      keys: (expansions, offsets, table.count), values: values)
    }

    /// `decode`'s loop, called again for each value reference (entries are encoded alike).
    private static func expand(
        _ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>, capacity: Int,
        keys: (expansions: UnsafeMutablePointer<UInt8>, offsets: UnsafeMutablePointer<UInt32>, count: Int),
        values: ValueTable
    ) -> Int {
        let lead = KeyTokenTable.leadByte
        let expansions = keys.expansions
        let offsets = keys.offsets
        let tokens = keys.count
        var i = 0
        var o = 0
        let raw = UnsafeRawPointer(p)
        let outRaw = UnsafeMutableRawPointer(out)
        let expansionsRaw = UnsafeRawPointer(expansions)
        while i < n {
            #if _endian(little)
            if i + 8 <= n && o + 8 <= capacity {
                // A word at a time: copy it whole, then keep the bytes before its first
                // byte ≥ 0x80 (the rest is rewritten by what follows).
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                outRaw.storeBytes(of: w, toByteOffset: o, as: UInt64.self)
                let high = w & 0x8080_8080_8080_8080
                if high == 0 {
                    i += 8
                    o += 8
                    continue
                }
                let k = high.trailingZeroBitCount >> 3
                i += k
                o += k
            }
            #endif
            // One byte: a token's lead, a reference, a non-ASCII text byte, or the tail.
            let c = p[i]
            if c < lead {
                guard o < capacity else { return o }
                out[o] = c
                o += 1
                i += 1
                continue
            }
            if c >= referenceLead2 {
                // A value reference: 0xFF + 1 byte, 0xFD + 2, 0xFE + 3.
                let width = c == referenceLead1 ? 1 : c == referenceLead2 ? 2 : 3
                guard i + width < n else { return o }
                var index = 0
                for b in 1...width { index = index << 8 | Int(p[i + b]) }
                i += width + 1
                guard let r = values.record(index), let b = r.bytes, o + Int(r.jsonCount) <= capacity else { return o }
                let count = Int(r.count)
                if count == Int(r.jsonCount) {
                    // Plain JSON (tokens always shrink what they stand for): a copy.
                    (out + o).update(from: b, count: count)
                    o += count
                } else {
                    o += expand(b, count, into: out + o, capacity: capacity - o, keys: keys, values: values)
                }
                continue
            }
            guard i + 1 < n else { return o }
            let t = Int(c &- lead) << 8 | Int(p[i + 1])
            i += 2
            guard t < tokens else { continue }
            let start = Int(offsets[t])
            let length = Int(offsets[t + 1]) - start
            guard o + length <= capacity else { return o }
            var k = 0
            #if _endian(little)
            // `expansions` has 8 bytes of padding, so whole-word reads stay inside it.
            if o + length + 8 <= capacity {
                while k < length {
                    let w = expansionsRaw.loadUnaligned(fromByteOffset: start + k, as: UInt64.self)
                    outRaw.storeBytes(of: w, toByteOffset: o + k, as: UInt64.self)
                    k += 8
                }
                o += length
                continue
            }
            #endif
            while k < length {
                out[o + k] = expansions[start + k]
                k += 1
            }
            o += length
        }
        return o
    }
}
