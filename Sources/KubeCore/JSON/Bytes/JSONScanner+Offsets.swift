/// The scanner by offsets: each call starts a cursor at the offset given, so a `let`
/// scanner can be shared by nested closures (the watch-event and C ABI readers).
extension JSONScanner {
    /// The offset of the first non-whitespace byte at or after `i`.
    @inlinable
    public func skipWhitespace(_ i: Int) -> Int {
        var s = JSONScanner(base, at: i)
        s.skipWhitespace()
        return s.pos
    }

    /// The range of the value that starts at or after `i` (leading whitespace skipped).
    public func valueRange(at i: Int) throws(JSONError) -> Range<Int> {
        var s = JSONScanner(base, at: i)
        s.skipWhitespace()
        let start = s.pos
        try s.skipValue()
        return start..<s.pos
    }

    /// Visits the members of the object whose `{` is at or after `i`: `body` gets the key's
    /// raw range and the value's range, and answers false to stop. Returns the offset just
    /// past the object (or past the value where it stopped).
    @discardableResult
    public func forEachMember(ofObjectAt i: Int,
                              _ body: (Range<Int>, Range<Int>) throws(JSONError) -> Bool) throws(JSONError) -> Int {
        var s = JSONScanner(base, at: i)
        try s.forEachMemberWhile { (m: inout JSONScanner, key: Range<Int>) throws(JSONError) -> Bool in
            let start = m.pos
            try m.skipValue()
            return try body(key, start..<m.pos)
        }
        return s.pos
    }

    /// Visits the elements of the array whose `[` is at or after `i`; `body` answers false to stop.
    @discardableResult
    public func forEachElement(ofArrayAt i: Int, _ body: (Range<Int>) throws(JSONError) -> Bool) throws(JSONError) -> Int {
        var s = JSONScanner(base, at: i)
        try s.expect(UInt8(ascii: "["))
        if s.peek() == UInt8(ascii: "]") { return s.pos + 1 }
        while true {
            s.skipWhitespace()
            let start = s.pos
            try s.skipValue()
            if try !body(start..<s.pos) { return s.pos }
            s.skipWhitespace()
            guard s.pos < end else { throw s.error("unterminated array") }
            if base[s.pos] == UInt8(ascii: ",") {
                s.pos += 1
                continue
            }
            if base[s.pos] == UInt8(ascii: "]") { return s.pos + 1 }
            throw s.error("expected ',' or ']'")
        }
    }

    /// True when the key range spells `name` exactly.
    @inlinable
    public func key(_ range: Range<Int>, is name: StaticString) -> Bool { keyEquals(range, name) }

    /// The value range of member `name` in the object at `i`, or nil.
    public func member(_ name: StaticString, ofObjectAt i: Int) throws(JSONError) -> Range<Int>? {
        var found: Range<Int>?
        try forEachMember(ofObjectAt: i) { (k, v) throws(JSONError) -> Bool in
            if keyEquals(k, name) { found = v; return false }
            return true
        }
        return found
    }

    /// Decodes the string value in `range` (quotes included); nil when it is not a string.
    public func string(_ range: Range<Int>) throws(JSONError) -> String? {
        guard range.count >= 2, base[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        return try decodeString(inner, escaped: rangeHasBackslash(inner))
    }

    /// The raw bytes of a range, borrowed from the scanned buffer.
    public func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: base[range])
    }

    /// Builds a `JSON` value for just this range.
    public func value(_ range: Range<Int>) throws(JSONError) -> JSON {
        try JSON.parse(UnsafeRawBufferPointer(bytes(range)))
    }
}
