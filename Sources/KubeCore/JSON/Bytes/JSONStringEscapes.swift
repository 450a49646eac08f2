/// The one decoder of JSON string escapes, shared by `JSON.parse` and `JSONScanner` so that
/// the client, the informer cache and the test server read every string alike.
///
/// An unpaired UTF-16 surrogate (`"\ud800"`, or a high surrogate not followed by a low one)
/// becomes U+FFFD, as in Go's encoding/json, which produced the bytes the API server sends:
/// kube-apiserver accepts and stores such a string, so refusing it would make an object that
/// the server serves unreadable (and a whole list or watch with it). Invalid UTF-8 likewise
/// becomes U+FFFD (`String(decoding:)`). A raw control character and a malformed escape are
/// errors, as in Go.
public enum JSONStringEscapes {
    /// Decodes the raw contents of a string, `p[range]` (between its quotes: no unescaped
    /// `"` inside). Error offsets index `p`.
    public static func decode(_ p: UnsafePointer<UInt8>, _ range: Range<Int>) throws(JSONError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = p[i]
            if c != UInt8(ascii: "\\") {
                if c < 0x20 { throw JSONError(offset: i, message: "control character in string") }
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { throw JSONError(offset: i, message: "unterminated escape") }
            let e = p[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(p, at: i, end: end)
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= end, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u"),
                   let low = try? hex4(p, at: i + 2, end: end), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                // A surrogate left over here is unpaired.
                appendUTF8((0xD800..<0xE000).contains(scalar) ? 0xFFFD : scalar, to: &out)
            default:
                let shown = (0x20..<0x7F).contains(e) ? String(UnicodeScalar(e)) : "\\x" + String(e, radix: 16)
                throw JSONError(offset: i - 2, message: "invalid escape '\\\(shown)'")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex4(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) throws(JSONError) -> UInt32 {
        guard i + 4 <= end else { throw JSONError(offset: i, message: "truncated \\u escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[i + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw JSONError(offset: i + k, message: "invalid hex digit in \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
