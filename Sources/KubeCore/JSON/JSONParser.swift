#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSON {
    /// Parses one JSON value from UTF-8 bytes. Trailing whitespace is allowed; anything else after the value is an error.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> JSON {
        var parser = JSONParser(bytes)
        return try parser.parseDocument()
    }

    /// Parses one JSON value from any collection of UTF-8 bytes.
    public static func parse<C: Collection<UInt8>>(bytes: C) throws(JSONError) -> JSON {
        let result: Result<JSON, JSONError>? = bytes.withContiguousStorageIfAvailable { buf in
            var parser = JSONParser(UnsafeRawBufferPointer(buf))
            do throws(JSONError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        return try parse(bytes: copy)
    }

    /// Checks that `bytes` are exactly what `parse` accepts, with the same errors, without
    /// building the value: for callers that pass the text on (the C ABI promises JSON) and
    /// would otherwise build a tree only to drop it.
    public static func validate<C: Collection<UInt8>>(bytes: C) throws(JSONError) {
        let result: Result<JSON, JSONError>? = bytes.withContiguousStorageIfAvailable { buf in
            var parser = JSONParser(UnsafeRawBufferPointer(buf), validateOnly: true)
            do throws(JSONError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        if let result {
            _ = try result.get()
            return
        }
        try validate(bytes: Array(bytes))
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String) throws(JSONError) -> JSON {
        var text = text
        let result: Result<JSON, JSONError> = text.withUTF8 { buf in
            var parser = JSONParser(UnsafeRawBufferPointer(buf))
            do throws(JSONError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// A recursive-descent parser over raw bytes. It never copies the input and builds
/// strings straight from the byte range when they contain no escapes (the common case
/// in Kubernetes objects), which keeps list and watch decoding close to memory speed.
struct JSONParser {
    private let base: UnsafePointer<UInt8>?
    private let end: Int
    private var pos = 0
    private var depth = 0
    private static let maxDepth = 512
    /// Members of the objects being parsed, innermost last. Collecting them first lets each
    /// dictionary be allocated once at its final size instead of growing and rehashing.
    private var pendingKeys: [String] = []
    private var pendingValues: [JSON] = []
    /// Checks the grammar only: strings, objects and arrays are not built (every value is null).
    private let validateOnly: Bool

    init(_ bytes: UnsafeRawBufferPointer, validateOnly: Bool = false) {
        self.base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        self.end = bytes.count
        self.validateOnly = validateOnly
    }

    mutating func parseDocument() throws(JSONError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if pos != end { throw error("unexpected data after the top-level value") }
        return value
    }

    @inline(__always)
    private func byte(_ i: Int) -> UInt8 {
        // Callers check bounds first; base is non-nil whenever end > 0.
        base.unsafelyUnwrapped[i]
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONError {
        JSONError(offset: offset ?? pos, message: message)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while pos < end {
            let c = byte(pos)
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { return }
        }
    }

    private mutating func parseValue() throws(JSONError) -> JSON {
        guard pos < end else { throw error("unexpected end of input") }
        switch byte(pos) {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(byte(pos)))'")
        }
    }

    private func printable(_ c: UInt8) -> String {
        (0x20..<0x7F).contains(c) ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let n = literal.utf8CodeUnitCount
        guard end - pos >= n else { throw error("unexpected end of input") }
        let lit = literal.utf8Start
        for i in 0..<n where byte(pos + i) != lit[i] {
            throw error("invalid literal, expected \(literal)")
        }
        pos += n
    }

    private mutating func enter() throws(JSONError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func parseObject() throws(JSONError) -> JSON {
        try enter()
        pos += 1
        skipWhitespace()
        if pos < end, byte(pos) == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object([:])
        }
        let base = pendingKeys.count
        while true {
            skipWhitespace()
            guard pos < end else { throw error("unexpected end of input in object") }
            guard byte(pos) == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard pos < end, byte(pos) == UInt8(ascii: ":") else { throw error("expected ':' after object key") }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            if !validateOnly {
                pendingKeys.append(key)
                pendingValues.append(value)
            }
            skipWhitespace()
            guard pos < end else { throw error("unexpected end of input in object") }
            let c = byte(pos)
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { break }
            throw error("expected ',' or '}' in object", at: pos - 1)
        }
        if validateOnly {
            depth -= 1
            return .null
        }
        let n = pendingKeys.count - base
        var object = [String: JSON](minimumCapacity: n)
        for i in base..<pendingKeys.count {
            // Later duplicates win, as in Go's decoder.
            object[pendingKeys[i]] = pendingValues[i]
        }
        pendingKeys.removeLast(n)
        pendingValues.removeLast(n)
        depth -= 1
        return .object(object)
    }

    private mutating func parseArray() throws(JSONError) -> JSON {
        try enter()
        pos += 1
        var array: [JSON] = []
        skipWhitespace()
        if pos < end, byte(pos) == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            let element = try parseValue()
            if !validateOnly { array.append(element) }
            skipWhitespace()
            guard pos < end else { throw error("unexpected end of input in array") }
            let c = byte(pos)
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { break }
            throw error("expected ',' or ']' in array", at: pos - 1)
        }
        depth -= 1
        return .array(array)
    }

    private mutating func parseString() throws(JSONError) -> String {
        let start = pos + 1
        var i = start
        // Fast scan: most strings have no escapes and are plain UTF-8.
        while i < end {
            let c = byte(i)
            if c == UInt8(ascii: "\"") {
                pos = i + 1
                return try makeString(from: start, to: i)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in string", at: i) }
            i += 1
        }
        guard i < end else { throw error("unterminated string", at: start - 1) }
        return try parseEscapedString(start: start, firstEscape: i)
    }

    private func makeString(from start: Int, to stop: Int) throws(JSONError) -> String {
        if validateOnly { return "" }
        // Invalid UTF-8 becomes U+FFFD, as Go's encoding/json does; the non-generic
        // decoding initializer is also several times faster than a validating one.
        return String(decoding: UnsafeBufferPointer(start: base.unsafelyUnwrapped + start, count: stop - start), as: UTF8.self)
    }

    /// A string with escapes (rare in Kubernetes objects): find its end, then decode it with
    /// the escape decoder the byte scanner uses too.
    private mutating func parseEscapedString(start: Int, firstEscape: Int) throws(JSONError) -> String {
        let p = base.unsafelyUnwrapped
        var i = firstEscape
        while true {
            i = JSONByteSearch.stringStop(p, i, end, stopAtHigh: false)
            guard i < end else { throw error("unterminated string", at: start - 1) }
            if p[i] == UInt8(ascii: "\"") { break }
            i += 2  // the escaped byte cannot end the string
        }
        let text = try JSONStringEscapes.decode(p, start..<i)
        pos = i + 1
        return text
    }

    private mutating func parseNumber() throws(JSONError) -> JSON {
        let start = pos
        var i = pos
        var negative = false
        if byte(i) == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) else {
            throw error("invalid number", at: start)
        }
        if byte(i) == UInt8(ascii: "0"), i + 1 < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i + 1)) {
            throw error("leading zero in number", at: start)
        }
        // Accumulate as a negative value so Int64.min parses without overflow.
        var acc: Int64 = 0
        var overflow = false
        while i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) {
            let d = Int64(byte(i) - UInt8(ascii: "0"))
            let (m, o1) = acc.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(d)
            if o1 || o2 { overflow = true } else { acc = s }
            i += 1
        }
        var isFloat = false
        if i < end, byte(i) == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) else {
                throw error("expected digits after decimal point", at: i)
            }
            while i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) { i += 1 }
        }
        if i < end, byte(i) == UInt8(ascii: "e") || byte(i) == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < end, byte(i) == UInt8(ascii: "+") || byte(i) == UInt8(ascii: "-") { i += 1 }
            guard i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) else {
                throw error("expected digits in exponent", at: i)
            }
            while i < end, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte(i)) { i += 1 }
        }
        pos = i
        if !isFloat && !overflow {
            if negative { return .int(acc) }
            if acc != Int64.min { return .int(-acc) }
        }
        let value = parseDouble(from: start, to: i)
        // `1e999` would be infinity, which JSON cannot hold: it would go out again as null.
        // Go's encoding/json refuses such numbers too.
        guard value.isFinite else { throw error("number out of range", at: start) }
        return .double(value)
    }

    private func parseDouble(from start: Int, to stop: Int) -> Double {
        // strtod needs a terminator; numbers are short, so copy onto the stack.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: stop - start + 1) { buf in
            for k in 0..<(stop - start) { buf[k] = CChar(bitPattern: byte(start + k)) }
            buf[stop - start] = 0
            return strtod(buf.baseAddress.unsafelyUnwrapped, nil)
        }
    }
}
