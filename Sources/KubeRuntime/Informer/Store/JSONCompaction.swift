/// Removes insignificant whitespace from JSON bytes, so the cache holds each object in
/// (at most) its compact JSON size whatever the server's formatting.
///
/// Bytes without any whitespace outside strings are returned unchanged and uncopied.
func compactJSON(_ bytes: [UInt8]) -> [UInt8] {
    let needsWork: Bool = bytes.withUnsafeBufferPointer { buf in
        var inString = false
        var i = 0
        while i < buf.count {
            let c = buf[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 2; continue }
                if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
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
        } else if c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 {
            out.append(c)
        }
    }
    return out
}
