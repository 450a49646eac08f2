/// The cache's compact form of an object: its JSON with insignificant whitespace removed and
/// every object key found in `KeyTokenTable` (with its quotes and colon) replaced by a
/// 2-byte token. Everything else stays byte for byte, so expanding is a copy that splices
/// the keys back in; realistic objects shrink by 30–40 %.
enum CompactObjectCodec {
    /// Sizes of one encoding.
    struct Encoded {
        /// Bytes written.
        var count: Int
        /// Length of the compact JSON the bytes expand to.
        var jsonCount: Int
    }

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

    /// Writes the compact form of `input` (a JSON object, any formatting) to `out`, leaving out
    /// `input[skip]` (a whole member with one comma, or nothing). `out` must have room for
    /// `input.count` bytes: the result is never longer.
    ///
    /// With `tokenize`, returns nil when the input holds a byte ≥ 0xF5 (invalid UTF-8): such
    /// an object must be stored untokenized (call again without `tokenize`).
    static func encode(
        _ input: UnsafeBufferPointer<UInt8>, skipping skip: Range<Int>?, tokenize: Bool,
        into out: UnsafeMutablePointer<UInt8>
    ) throws(ObjectScanError) -> Encoded? {
        guard let p = input.baseAddress else { return Encoded(count: 0, jsonCount: 0) }
        let n = input.count
        let skipStart = skip?.lowerBound ?? -1
        let skipEnd = skip?.upperBound ?? -1
        var skipped = skip == nil
        let table = KeyTokenTable.shared
        let lead = Int(KeyTokenTable.leadByte)
        return try classes.withUnsafeBufferPointer { (cls) throws(ObjectScanError) -> Encoded? in
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
                    if depth == 0 { throw ObjectScanError(offset: i, message: "expected an object") }
                    out[o] = c
                    o += 1
                    json += 1
                    i += 1
                case 4:
                    i += 1
                case 5:
                    if depth == 0 && o > 0 { throw ObjectScanError(offset: i, message: "data after the object") }
                    depth += 1
                    out[o] = c
                    o += 1
                    json += 1
                    i += 1
                case 6:
                    depth -= 1
                    if depth < 0 { throw ObjectScanError(offset: i, message: "unbalanced '\(Character(Unicode.Scalar(c)))'") }
                    out[o] = c
                    o += 1
                    json += 1
                    i += 1
                case 1:
                    if depth == 0 { throw ObjectScanError(offset: i, message: "expected an object") }
                    // A string: find its closing quote.
                    var j = i + 1
                    var escaped = false
                    while j < n {
                        j = ByteSearch.stringStop(p, j, n, stopAtHigh: tokenize)
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
                    guard j < n else { throw ObjectScanError(offset: i, message: "unterminated string") }
                    if tokenize && !escaped {
                        var k = j + 1
                        while k < n && cls[Int(p[k])] == 4 { k += 1 }
                        if k < n && p[k] == UInt8(ascii: ":"), let t = table.token(p + i + 1, j - i - 1) {
                            out[o] = UInt8(truncatingIfNeeded: lead + t >> 8)
                            out[o + 1] = UInt8(truncatingIfNeeded: t)
                            o += 2
                            json += j - i + 2
                            i = k + 1
                            continue
                        }
                    }
                    let length = j + 1 - i
                    (out + o).update(from: p + i, count: length)
                    o += length
                    json += length
                    i = j + 1
                default:
                    // A backslash or a byte ≥ 0xF5 outside a string: not JSON text.
                    if tokenize && c >= KeyTokenTable.leadByte { return nil }
                    out[o] = c
                    o += 1
                    json += 1
                    i += 1
                }
            }
            guard depth == 0 && o > 0 else { throw ObjectScanError(offset: n, message: "unterminated object") }
            guard skipped else { throw ObjectScanError(offset: skipStart, message: "member to drop not found") }
            return Encoded(count: o, jsonCount: json)
        }
    }

    /// Expands tokenized bytes into `out` (room for `capacity` bytes: the JSON length recorded
    /// at encoding). Returns the bytes written.
    @discardableResult
    static func decode(
        _ encoded: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, capacity: Int
    ) -> Int {
        guard let p = encoded.baseAddress, let expansions = KeyTokenTable.shared.expansions.baseAddress else { return 0 }
        let n = encoded.count
        let table = KeyTokenTable.shared
        let lead = KeyTokenTable.leadByte
        let offsets = table.offsets
        let tokens = table.count
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
            // One byte: a token's lead, a non-ASCII text byte, or the tail.
            let c = p[i]
            if c < lead {
                guard o < capacity else { return o }
                out[o] = c
                o += 1
                i += 1
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
