/// Word-at-a-time byte searches for the scanners: most of an object's JSON is string
/// contents, and testing eight bytes per step makes skipping them several times faster.
/// Inlinable: the cache's encoder (another module) runs it in its innermost loop.
public enum JSONByteSearch {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080
    @usableFromInline static let quotes: UInt64 = 0x2222_2222_2222_2222
    @usableFromInline static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C

    /// High bit set in each byte of `v` that is zero. Bytes above the first zero byte may be
    /// flagged falsely (borrows), which is harmless: callers only use the lowest flag.
    @inlinable @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }

    /// Index of the first `"` or `\` (or, with `stopAtHigh`, byte ≥ 0x80) in `p[start..<n]`, or `n`.
    @inlinable @inline(__always)
    public static func stringStop(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, stopAtHigh: Bool) -> Int {
        var i = start
        #if _endian(little)
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            var m = zeroBytes(w ^ quotes) | zeroBytes(w ^ backslashes)
            if stopAtHigh { m |= w & highs }
            if m != 0 { return i + m.trailingZeroBitCount >> 3 }
            i += 8
        }
        #endif
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || (stopAtHigh && c >= 0x80) { return i }
            i += 1
        }
        return n
    }

    /// Whether `c` is JSON whitespace (space, tab, CR, LF).
    @inlinable @inline(__always)
    public static func isWhitespace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
}
