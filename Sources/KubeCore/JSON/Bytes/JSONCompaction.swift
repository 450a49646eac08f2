/// Removes insignificant whitespace from JSON bytes, so a cache holds each object in (at
/// most) its compact JSON size whatever the server's formatting.
///
/// Bytes without any whitespace outside strings are returned unchanged and uncopied.
public func compactJSON(_ bytes: [UInt8]) -> [UInt8] {
    let needsWork: Bool = bytes.withUnsafeBufferPointer { buf in
        guard let p = buf.baseAddress else { return false }
        var i = 0
        while i < buf.count {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                // Skip the string; an escaped byte cannot end it.
                i += 1
                while true {
                    i = JSONByteSearch.stringStop(p, i, buf.count, stopAtHigh: false)
                    guard i < buf.count else { return false }
                    if p[i] == UInt8(ascii: "\"") { break }
                    i += 2
                }
            } else if JSONByteSearch.isWhitespace(c) {
                return true
            }
            i += 1
        }
        return false
    }
    guard needsWork else { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var inString = false
    var escape = false
    for c in bytes {
        if inString {
            out.append(c)
            if escape { escape = false } else if c == UInt8(ascii: "\\") { escape = true } else if c == UInt8(ascii: "\"") { inString = false }
        } else if c == UInt8(ascii: "\"") {
            inString = true
            out.append(c)
        } else if !JSONByteSearch.isWhitespace(c) {
            out.append(c)
        }
    }
    return out
}
