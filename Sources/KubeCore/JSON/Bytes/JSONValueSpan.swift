/// Finds where one JSON value ends, across as many chunks of bytes as it takes: the state
/// between chunks is the nesting depth and whether the last chunk ended inside a string or
/// right after a backslash. Strings are skipped eight bytes at a time (`JSONByteSearch`).
///
/// Containers are matched by bracket balance and scalars delimited, not validated: the
/// value's reader checks it.
struct JSONValueSpan {
    private var depth = 0
    private var inString = false
    private var afterBackslash = false
    private var scalar = false

    /// Scans `p[start..<n]`, which continues the value (its first byte, when `start` begins
    /// it, is not whitespace). Returns the offset just past the value (for a number or
    /// literal: of the delimiter after it), or nil when the value goes on in the next chunk.
    /// `base` is the absolute offset of `p[0]`, for errors.
    @inline(__always)
    mutating func advance(_ p: UnsafePointer<UInt8>, from start: Int, to n: Int, base: Int) throws(JSONError) -> Int? {
        var i = start
        var depth = self.depth
        var inString = self.inString
        defer {
            self.depth = depth
            self.inString = inString
        }
        if afterBackslash {
            guard i < n else { return nil }
            i += 1
            afterBackslash = false
        }
        while i < n {
            if inString {
                i = JSONByteSearch.stringStop(p, i, n, stopAtHigh: false)
                guard i < n else { return nil }
                if p[i] == UInt8(ascii: "\"") {
                    inString = false
                    i += 1
                    if depth == 0 { return i }
                    continue
                }
                // A backslash: the escaped byte cannot end the string.
                guard i + 1 < n else {
                    afterBackslash = true
                    return nil
                }
                i += 2
                continue
            }
            let c = p[i]
            if scalar {
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || JSONByteSearch.isWhitespace(c) {
                    return i
                }
                i += 1
                continue
            }
            switch c {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
                if depth < 0 { throw JSONError(offset: base + i, message: "expected a value") }
            default:
                if depth == 0 {
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: ":") {
                        throw JSONError(offset: base + i, message: "expected a value")
                    }
                    scalar = true
                }
            }
            i += 1
        }
        return nil
    }
}
