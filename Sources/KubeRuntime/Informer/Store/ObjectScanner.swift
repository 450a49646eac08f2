import KubeCore

/// A failure to read the bytes of an object, a list or a watch event.
struct ObjectScanError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var message: String
    var description: String { "invalid object JSON at byte \(offset): \(message)" }
}

/// A forward-only reader over the bytes of one JSON document.
///
/// The informer never builds a JSON tree on its hot paths: it only needs a handful of
/// fields (name, namespace, resourceVersion, uid, labels, an event's type) and the byte
/// ranges of nested objects, so it skips everything else at memory speed. Strings are
/// decoded only when asked for, straight from the bytes when they hold no escapes.
struct ObjectScanner {
    let base: UnsafeBufferPointer<UInt8>
    var pos: Int

    init(_ base: UnsafeBufferPointer<UInt8>, at pos: Int = 0) {
        self.base = base
        self.pos = pos
    }

    var end: Int { base.count }

    func error(_ message: String) -> ObjectScanError { ObjectScanError(offset: pos, message: message) }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < end {
            let c = base[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { return }
        }
    }

    @inline(__always)
    mutating func expect(_ c: UInt8) throws(ObjectScanError) {
        skipWhitespace()
        guard pos < end, base[pos] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        pos += 1
    }

    /// Peeks the next significant byte, or nil at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return pos < end ? base[pos] : nil
    }

    /// Skips a string whose opening quote is at `pos`; returns the range of its raw content
    /// and whether that content holds escapes.
    @inline(__always)
    mutating func scanString() throws(ObjectScanError) -> (range: Range<Int>, escaped: Bool) {
        guard pos < end, base[pos] == UInt8(ascii: "\"") else { throw error("expected a string") }
        pos += 1
        let start = pos
        var escaped = false
        if let p = base.baseAddress {
            while pos < end {
                pos = ByteSearch.stringStop(p, pos, end, stopAtHigh: false)
                guard pos < end else { break }
                if p[pos] == UInt8(ascii: "\"") {
                    let range = start..<pos
                    pos += 1
                    return (range, escaped)
                }
                // A backslash: the escaped byte cannot end the string.
                escaped = true
                pos += 2
            }
        }
        pos = min(pos, end)
        throw error("unterminated string")
    }

    /// Reads a string value (the opening quote may follow whitespace).
    mutating func readString() throws(ObjectScanError) -> String {
        skipWhitespace()
        let (range, escaped) = try scanString()
        return try decodeString(range, escaped: escaped)
    }

    /// Reads a string, or gives nil for a JSON null.
    mutating func readOptionalString() throws(ObjectScanError) -> String? {
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return nil
        }
        return try readString()
    }

    func decodeString(_ range: Range<Int>, escaped: Bool) throws(ObjectScanError) -> String {
        let slice = UnsafeBufferPointer(rebasing: base[range])
        if !escaped { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= slice.count else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = slice[k]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: return nil
                }
                v = v << 4 | d
            }
            return v
        }
        while i < slice.count {
            let c = slice[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < slice.count else { throw ObjectScanError(offset: range.lowerBound + i, message: "bad escape") }
            let e = slice[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i) else { throw ObjectScanError(offset: range.lowerBound + i, message: "bad \\u escape") }
                i += 4
                if scalar >= 0xD800, scalar < 0xDC00, i + 6 <= slice.count,
                   slice[i] == UInt8(ascii: "\\"), slice[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(i + 2), low >= 0xDC00, low < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(s)).utf8)
            default:
                throw ObjectScanError(offset: range.lowerBound + i, message: "bad escape")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the raw (unescaped) key bytes equal `literal`.
    @inline(__always)
    func keyEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        var k = 0
        for i in range {
            if base[i] != p[k] { return false }
            k += 1
        }
        return true
    }

    /// Skips one value of any type.
    mutating func skipValue() throws(ObjectScanError) {
        skipWhitespace()
        guard pos < end else { throw error("unexpected end of input") }
        let c = base[pos]
        switch c {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Nested containers only need bracket balance; strings are skipped whole so
            // brackets inside them do not count.
            var depth = 0
            while pos < end {
                let b = base[pos]
                switch b {
                case UInt8(ascii: "\""):
                    _ = try scanString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        pos += 1
                        return
                    }
                default:
                    break
                }
                pos += 1
            }
            throw error("unterminated container")
        default:
            // number, true, false, null
            let start = pos
            while pos < end {
                let b = base[pos]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]")
                    || b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { break }
                pos += 1
            }
            if pos == start { throw error("expected a value") }
        }
    }

    /// Calls `body` for each member of the object starting at `pos`, with the raw key range.
    /// `body` must consume the member's value (read or skip it).
    mutating func forEachMember(
        _ body: (inout ObjectScanner, Range<Int>) throws(ObjectScanError) -> Void
    ) throws(ObjectScanError) {
        try forEachMemberWhile { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) -> Bool in
            try body(&s, key)
            return true
        }
    }

    /// Like `forEachMember`, but stops after the member for which `body` answers false,
    /// without looking at the rest of the object (which is then left unvalidated).
    mutating func forEachMemberWhile(
        _ body: (inout ObjectScanner, Range<Int>) throws(ObjectScanError) -> Bool
    ) throws(ObjectScanError) {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            pos += 1
            return
        }
        while true {
            skipWhitespace()
            let (key, _) = try scanString()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            guard try body(&self, key) else { return }
            skipWhitespace()
            guard pos < end else { throw error("unterminated object") }
            if base[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if base[pos] == UInt8(ascii: "}") {
                pos += 1
                return
            }
            throw error("expected ',' or '}'")
        }
    }

    /// Calls `body` for each element of the array starting at `pos`; `body` must consume it.
    mutating func forEachElement(
        _ body: (inout ObjectScanner) throws(ObjectScanError) -> Void
    ) throws(ObjectScanError) {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            pos += 1
            return
        }
        while true {
            skipWhitespace()
            try body(&self)
            skipWhitespace()
            guard pos < end else { throw error("unterminated array") }
            if base[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if base[pos] == UInt8(ascii: "]") {
                pos += 1
                return
            }
            throw error("expected ',' or ']'")
        }
    }

    /// Reads an object of string values (labels); non-string values are skipped.
    mutating func readStringMap() throws(ObjectScanError) -> [String: String] {
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return [:]
        }
        var map: [String: String] = [:]
        try forEachMember { (s: inout ObjectScanner, key: Range<Int>) throws(ObjectScanError) in
            if s.peek() == UInt8(ascii: "\"") {
                let k = try s.decodeString(key, escaped: s.rangeHasBackslash(key))
                map[k] = try s.readString()
            } else {
                try s.skipValue()
            }
        }
        return map
    }

    func rangeHasBackslash(_ range: Range<Int>) -> Bool {
        for i in range where base[i] == UInt8(ascii: "\\") { return true }
        return false
    }
}
