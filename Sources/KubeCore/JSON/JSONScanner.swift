/// Structural scanning of JSON bytes without building values.
///
/// The list, watch and cache paths use this instead of `JSON.parse`: splitting a
/// 10,000-item list into per-item byte ranges and reading each item's metadata costs a
/// fraction of building trees for them (see benchmarks/RESULTS.md). Ranges are byte
/// offsets into the scanned buffer; a value range covers the value's text exactly
/// (strings include their quotes).
public struct JSONScanner {
    private let base: UnsafePointer<UInt8>?
    public let count: Int

    /// The buffer must stay valid and unchanged while the scanner is used.
    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        count = bytes.count
    }

    @inline(__always)
    public func byte(_ i: Int) -> UInt8 { base.unsafelyUnwrapped[i] }

    @inline(__always)
    public func skipWhitespace(_ i: Int) -> Int {
        var i = i
        while i < count {
            let c = byte(i)
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { break }
        }
        return i
    }

    /// The range of the value that starts at or after `i` (leading whitespace skipped).
    /// Containers are matched structurally; scalars are delimited, not fully validated.
    public func valueRange(at i: Int) throws(JSONError) -> Range<Int> {
        let start = skipWhitespace(i)
        guard start < count else { throw JSONError(offset: start, message: "unexpected end of input") }
        return start..<(try skipValue(from: start))
    }

    private func skipValue(from start: Int) throws(JSONError) -> Int {
        switch byte(start) {
        case UInt8(ascii: "\""):
            return try skipString(from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < count {
                let c = byte(i)
                switch c {
                case UInt8(ascii: "\""):
                    i = try skipString(from: i)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            throw JSONError(offset: start, message: "unterminated \(byte(start) == UInt8(ascii: "{") ? "object" : "array")")
        default:
            var i = start
            while i < count {
                let c = byte(i)
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]")
                    || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { break }
                i += 1
            }
            guard i > start else { throw JSONError(offset: start, message: "expected a value") }
            return i
        }
    }

    /// Index just past the closing quote of the string starting at `start`.
    @inline(__always)
    private func skipString(from start: Int) throws(JSONError) -> Int {
        var i = start + 1
        while i < count {
            let c = byte(i)
            if c == UInt8(ascii: "\"") { return i + 1 }
            i += c == UInt8(ascii: "\\") ? 2 : 1
        }
        throw JSONError(offset: start, message: "unterminated string")
    }

    /// Visits the members of the object whose `{` is at or after `i`. `body` gets the key's
    /// range (inside the quotes, escapes undecoded) and the value's range; it returns
    /// false to stop early. Returns the index just past the object (or where it stopped).
    @discardableResult
    public func forEachMember(ofObjectAt i: Int,
                              _ body: (Range<Int>, Range<Int>) throws(JSONError) -> Bool) throws(JSONError) -> Int {
        var i = skipWhitespace(i)
        guard i < count, byte(i) == UInt8(ascii: "{") else { throw JSONError(offset: i, message: "expected an object") }
        i = skipWhitespace(i + 1)
        if i < count, byte(i) == UInt8(ascii: "}") { return i + 1 }
        while i < count {
            guard byte(i) == UInt8(ascii: "\"") else { throw JSONError(offset: i, message: "expected a string key") }
            let keyEnd = try skipString(from: i)
            let key = (i + 1)..<(keyEnd - 1)
            i = skipWhitespace(keyEnd)
            guard i < count, byte(i) == UInt8(ascii: ":") else { throw JSONError(offset: i, message: "expected ':'") }
            let value = try valueRange(at: i + 1)
            if try !body(key, value) { return value.upperBound }
            i = skipWhitespace(value.upperBound)
            guard i < count else { break }
            if byte(i) == UInt8(ascii: "}") { return i + 1 }
            guard byte(i) == UInt8(ascii: ",") else { throw JSONError(offset: i, message: "expected ',' or '}'") }
            i = skipWhitespace(i + 1)
        }
        throw JSONError(offset: i, message: "unterminated object")
    }

    /// Visits the elements of the array whose `[` is at or after `i`; `body` returns false to stop.
    @discardableResult
    public func forEachElement(ofArrayAt i: Int, _ body: (Range<Int>) throws(JSONError) -> Bool) throws(JSONError) -> Int {
        var i = skipWhitespace(i)
        guard i < count, byte(i) == UInt8(ascii: "[") else { throw JSONError(offset: i, message: "expected an array") }
        i = skipWhitespace(i + 1)
        if i < count, byte(i) == UInt8(ascii: "]") { return i + 1 }
        while i < count {
            let value = try valueRange(at: i)
            if try !body(value) { return value.upperBound }
            i = skipWhitespace(value.upperBound)
            guard i < count else { break }
            if byte(i) == UInt8(ascii: "]") { return i + 1 }
            guard byte(i) == UInt8(ascii: ",") else { throw JSONError(offset: i, message: "expected ',' or ']'") }
            i = skipWhitespace(i + 1)
        }
        throw JSONError(offset: i, message: "unterminated array")
    }

    /// True when the key range (from `forEachMember`) spells `name` exactly.
    @inline(__always)
    public func key(_ range: Range<Int>, is name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<range.count where byte(range.lowerBound + k) != p[k] { return false }
        return true
    }

    /// The value range of member `name` in the object at `i`, or nil.
    public func member(_ name: StaticString, ofObjectAt i: Int) throws(JSONError) -> Range<Int>? {
        var found: Range<Int>?
        try forEachMember(ofObjectAt: i) { (k, v) throws(JSONError) -> Bool in
            if key(k, is: name) { found = v; return false }
            return true
        }
        return found
    }

    /// Decodes the string value in `range` (quotes included); nil when it is not a string.
    public func string(_ range: Range<Int>) throws(JSONError) -> String? {
        guard range.count >= 2, byte(range.lowerBound) == UInt8(ascii: "\"") else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        var escaped = false
        for k in inner where byte(k) == UInt8(ascii: "\\") { escaped = true; break }
        if !escaped {
            let buf = UnsafeBufferPointer(start: base.unsafelyUnwrapped + inner.lowerBound, count: inner.count)
            guard let s = String(validating: buf, as: UTF8.self) else {
                throw JSONError(offset: inner.lowerBound, message: "invalid UTF-8 in string")
            }
            return s
        }
        return try JSON.parse(UnsafeRawBufferPointer(bytes(range))).stringValue
    }

    /// The raw bytes of a range, borrowed from the scanned buffer.
    public func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base.unsafelyUnwrapped + range.lowerBound, count: range.count)
    }

    /// Builds a `JSON` value for just this range.
    public func value(_ range: Range<Int>) throws(JSONError) -> JSON {
        try JSON.parse(UnsafeRawBufferPointer(bytes(range)))
    }
}
