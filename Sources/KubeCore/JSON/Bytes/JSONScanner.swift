/// The one forward reader over JSON bytes that builds no values: the list, watch and cache
/// paths use it instead of `JSON.parse`, because they need a handful of fields (name,
/// namespace, resourceVersion, labels, an event's type) and the byte ranges of nested
/// objects, and skipping everything else at memory speed costs a fraction of a tree.
///
/// Two ways to use it: as a cursor (`pos`, `skipValue()`, `forEachMember { }`, mutating),
/// or by offsets (`valueRange(at:)`, `forEachMember(ofObjectAt:)`, non-mutating). Ranges are
/// byte offsets into the scanned buffer; a value range covers the value's text exactly
/// (strings include their quotes); a key range is the key's raw content (no quotes, escapes
/// undecoded). Containers are matched by bracket balance, scalars delimited, not validated:
/// whoever decodes a value checks it.
///
/// The buffer must stay valid and unchanged while the scanner is used.
public struct JSONScanner {
    public let base: UnsafeBufferPointer<UInt8>
    public var pos: Int

    @inlinable
    public init(_ base: UnsafeBufferPointer<UInt8>, at pos: Int = 0) {
        self.base = base
        self.pos = pos
    }

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.init(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    @inlinable public var end: Int { base.count }
    @inlinable public var count: Int { base.count }

    @inlinable @inline(__always)
    public func byte(_ i: Int) -> UInt8 { base[i] }

    @inlinable
    public func error(_ message: String) -> JSONError { JSONError(offset: pos, message: message) }

    // MARK: cursor

    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while pos < end, JSONByteSearch.isWhitespace(base[pos]) { pos += 1 }
    }

    @inlinable @inline(__always)
    public mutating func expect(_ c: UInt8) throws(JSONError) {
        skipWhitespace()
        guard pos < end, base[pos] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
        pos += 1
    }

    /// The next significant byte (whitespace skipped), or nil at the end.
    @inlinable
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return pos < end ? base[pos] : nil
    }

    /// Skips the string whose opening quote is at `pos`; returns the range of its raw
    /// content and whether that holds escapes.
    @inlinable @inline(__always)
    public mutating func scanString() throws(JSONError) -> (range: Range<Int>, escaped: Bool) {
        guard pos < end, base[pos] == UInt8(ascii: "\"") else { throw error("expected a string") }
        pos += 1
        let start = pos
        var escaped = false
        if let p = base.baseAddress {
            while pos < end {
                pos = JSONByteSearch.stringStop(p, pos, end, stopAtHigh: false)
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
        throw JSONError(offset: start - 1, message: "unterminated string")
    }

    /// Skips one value of any type (leading whitespace first).
    @inlinable
    public mutating func skipValue() throws(JSONError) {
        skipWhitespace()
        guard pos < end else { throw error("unexpected end of input") }
        switch base[pos] {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Bracket balance is enough; strings are skipped whole so brackets in them do not count.
            let start = pos
            var depth = 0
            while pos < end {
                switch base[pos] {
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
            throw JSONError(offset: start, message: "unterminated \(base[start] == UInt8(ascii: "{") ? "object" : "array")")
        default:
            // number, true, false, null
            let start = pos
            while pos < end {
                let b = base[pos]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || b == UInt8(ascii: "]") || JSONByteSearch.isWhitespace(b) { break }
                pos += 1
            }
            if pos == start { throw error("expected a value") }
        }
    }

    /// Reads a string value (the opening quote may follow whitespace).
    public mutating func readString() throws(JSONError) -> String {
        skipWhitespace()
        let (range, escaped) = try scanString()
        return try decodeString(range, escaped: escaped)
    }

    /// Reads a string, or gives nil for a JSON null.
    public mutating func readOptionalString() throws(JSONError) -> String? {
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// The string whose raw content is `range` (from `scanString` or a key range).
    public func decodeString(_ range: Range<Int>, escaped: Bool) throws(JSONError) -> String {
        guard let p = base.baseAddress else { return "" }
        if !escaped {
            // Invalid UTF-8 becomes U+FFFD, as in Go's encoding/json.
            return String(decoding: UnsafeBufferPointer(start: p + range.lowerBound, count: range.count), as: UTF8.self)
        }
        return try JSONStringEscapes.decode(p, range)
    }

    /// Whether the raw key bytes equal `literal`.
    @inlinable @inline(__always)
    public func keyEquals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        var k = 0
        for i in range {
            if base[i] != p[k] { return false }
            k += 1
        }
        return true
    }

    /// Calls `body` for each member of the object at `pos`, with the raw key range; `body`
    /// must consume the member's value (read or skip it).
    @inlinable
    public mutating func forEachMember(
        _ body: (inout JSONScanner, Range<Int>) throws(JSONError) -> Void
    ) throws(JSONError) {
        try forEachMemberWhile { (s: inout JSONScanner, key: Range<Int>) throws(JSONError) -> Bool in
            try body(&s, key)
            return true
        }
    }

    /// Like `forEachMember`, but stops after the member for which `body` answers false,
    /// without looking at the rest of the object (which is then left unvalidated).
    @inlinable
    public mutating func forEachMemberWhile(
        _ body: (inout JSONScanner, Range<Int>) throws(JSONError) -> Bool
    ) throws(JSONError) {
        try forEachEntry(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { (s: inout JSONScanner) throws(JSONError) -> Bool in
            let (key, _) = try s.scanString()
            try s.expect(UInt8(ascii: ":"))
            s.skipWhitespace()
            return try body(&s, key)
        }
    }

    /// Calls `body` for each element of the array at `pos`; `body` must consume it.
    @inlinable
    public mutating func forEachElement(_ body: (inout JSONScanner) throws(JSONError) -> Void) throws(JSONError) {
        try forEachEntry(open: UInt8(ascii: "["), close: UInt8(ascii: "]")) { (s: inout JSONScanner) throws(JSONError) -> Bool in
            try body(&s)
            return true
        }
    }

    /// The entries of a container, separated by commas: `entry` reads one (a member or an
    /// element) and answers false to stop there.
    @inlinable
    mutating func forEachEntry(
        open: UInt8, close: UInt8, _ entry: (inout JSONScanner) throws(JSONError) -> Bool
    ) throws(JSONError) {
        try expect(open)
        if peek() == close {
            pos += 1
            return
        }
        while true {
            skipWhitespace()
            guard try entry(&self) else { return }
            skipWhitespace()
            guard pos < end else { throw error(close == UInt8(ascii: "}") ? "unterminated object" : "unterminated array") }
            if base[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if base[pos] == close {
                pos += 1
                return
            }
            throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }
    }

    /// Reads an object of string values (labels); non-string values are skipped, null is empty.
    public mutating func readStringMap() throws(JSONError) -> [String: String] {
        if peek() == UInt8(ascii: "n") {
            try skipValue()
            return [:]
        }
        var map: [String: String] = [:]
        try forEachMember { (s: inout JSONScanner, key: Range<Int>) throws(JSONError) in
            if s.peek() == UInt8(ascii: "\"") {
                let k = try s.decodeString(key, escaped: s.rangeHasBackslash(key))
                map[k] = try s.readString()
            } else {
                try s.skipValue()
            }
        }
        return map
    }

    public func rangeHasBackslash(_ range: Range<Int>) -> Bool {
        for i in range where base[i] == UInt8(ascii: "\\") { return true }
        return false
    }
}
