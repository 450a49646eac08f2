/// Resolution of plain YAML scalars to JSON values under the YAML 1.2 core schema, and the
/// inverse question the emitter asks: would this string read back as something else?
enum YAMLScalar {
    /// Resolves an untagged plain scalar: null (`null`, `Null`, `NULL`, `~`, empty), booleans
    /// (`true`/`True`/`TRUE`, `false`/...), integers (decimal, `0x`, `0o`; beyond Int64 they become
    /// doubles), floats (incl. `.inf`, `-.inf`, `.nan`), everything else a string.
    static func resolve(_ text: String) -> JSON {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if let number = number(text) { return number }
            return .string(text)
        case UInt8(ascii: "~"):
            return utf8.count == 1 ? .null : .string(text)
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return text == "null" || text == "Null" || text == "NULL" ? .null : .string(text)
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            return text == "true" || text == "True" || text == "TRUE" ? .bool(true) : .string(text)
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return text == "false" || text == "False" || text == "FALSE" ? .bool(false) : .string(text)
        default:
            return .string(text)
        }
    }

    /// A number per the core schema, or nil.
    static func number(_ text: String) -> JSON? {
        let bytes = Array(text.utf8)
        // Empty text reaches here through an explicit tag (`!!float` with no value): found by
        // fuzz/yaml, it indexed past the end.
        guard let sign = bytes.first else { return nil }
        var i = 0
        var negative = false
        if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            i = 1
        }
        let body = bytes[i...]
        guard !body.isEmpty else { return nil }
        // .inf / .nan
        if body.first == UInt8(ascii: ".") {
            let word = String(decoding: body.dropFirst(), as: UTF8.self)
            if word == "inf" || word == "Inf" || word == "INF" { return .double(negative ? -.infinity : .infinity) }
            if i == 0 && (word == "nan" || word == "NaN" || word == "NAN") { return .double(.nan) }
        }
        // 0x / 0o (unsigned per the core schema)
        if i == 0, body.count > 2, body[body.startIndex] == UInt8(ascii: "0") {
            let marker = body[body.startIndex + 1]
            let digits = String(decoding: body.dropFirst(2), as: UTF8.self)
            if marker == UInt8(ascii: "x") {
                guard let value = UInt64(digits, radix: 16) else { return nil }
                return value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(Double(value))
            }
            if marker == UInt8(ascii: "o") {
                guard let value = UInt64(digits, radix: 8) else { return nil }
                return value <= UInt64(Int64.max) ? .int(Int64(value)) : .double(Double(value))
            }
        }
        // [-+]? ( \.[0-9]+ | [0-9]+ ( \.[0-9]* )? ) ( [eE][-+]?[0-9]+ )?
        var j = body.startIndex
        var intDigits = 0
        while j < body.endIndex, isDigit(body[j]) { j += 1; intDigits += 1 }
        var isFloat = false
        if j < body.endIndex, body[j] == UInt8(ascii: ".") {
            isFloat = true
            j += 1
            var fraction = 0
            while j < body.endIndex, isDigit(body[j]) { j += 1; fraction += 1 }
            if intDigits == 0 && fraction == 0 { return nil }
        } else if intDigits == 0 {
            return nil
        }
        if j < body.endIndex, body[j] == UInt8(ascii: "e") || body[j] == UInt8(ascii: "E") {
            isFloat = true
            j += 1
            if j < body.endIndex, body[j] == UInt8(ascii: "+") || body[j] == UInt8(ascii: "-") { j += 1 }
            var exponent = 0
            while j < body.endIndex, isDigit(body[j]) { j += 1; exponent += 1 }
            if exponent == 0 { return nil }
        }
        guard j == body.endIndex else { return nil }
        if !isFloat, let value = Int64(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            return .int(value)
        }
        guard let value = Double(text) else { return nil }
        return .double(value)
    }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    /// Whether a string must be quoted to read back as the same string — here and in YAML 1.1
    /// readers such as the Go yaml.v2 behind kubectl (`yes`, `on`, `0777`, `1_000`, `12:30`).
    static func needsQuotes(_ s: String) -> Bool {
        let bytes = s.utf8
        guard let first = bytes.first, let last = bytes.last else { return true }
        if case .string = resolve(s) {} else { return true }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
             UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
             UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: " "),
             UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "<"),
             UInt8(ascii: "="):
            return true
        default:
            break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        var previous: UInt8 = 0
        for c in bytes {
            if c < 0x20 || c == 0x7F { return true }
            if c == UInt8(ascii: " ") && previous == UInt8(ascii: ":") { return true }
            if c == UInt8(ascii: "#") && previous == UInt8(ascii: " ") { return true }
            previous = c
        }
        // Non-ASCII line breaks and BOM would be folded or dropped by readers.
        if s.unicodeScalars.contains(where: { $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{FEFF}" }) {
            return true
        }
        switch s.lowercased() {
        case "y", "n", "yes", "no", "on", "off":
            return true
        default:
            return false
        }
    }
}
