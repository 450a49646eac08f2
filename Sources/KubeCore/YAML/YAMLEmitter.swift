/// Block-style YAML writer behind `YAML.emit` (see there for the style rules).
enum YAMLEmitter {
    /// Longest key written as an implicit `key: value`. YAML 1.2 (§7.4.2) limits implicit keys
    /// to 1024 characters and libyaml gives up on one when its `:` is further than that from
    /// its start (found by fuzz/yaml: a long key did not read back); a little below, for safety.
    static let maxImplicitKey = 1000

    static func node(_ value: JSON, indent: Int, inline: Bool, into out: inout String) {
        switch value {
        case .object(let members) where !members.isEmpty:
            var first = true
            for key in members.keys.sorted() {
                if !(first && inline) { pad(indent, &out) }
                first = false
                let keyText = key == "<<" ? "\"<<\"" : string(key, indent: indent, allowBlock: false)
                if keyText.unicodeScalars.count > maxImplicitKey {
                    // Too long for an implicit key: readers refuse it, so write `? key` / `: value`.
                    out += "? " + keyText + "\n"
                    pad(indent, &out)
                } else {
                    out += keyText
                }
                out += ":"
                let child = members[key] ?? .null
                switch child {
                case .object(let o) where !o.isEmpty:
                    out += "\n"
                    node(child, indent: indent + 2, inline: false, into: &out)
                case .array(let a) where !a.isEmpty:
                    out += "\n"
                    node(child, indent: indent, inline: false, into: &out)
                default:
                    out += " "
                    scalar(child, indent: indent, into: &out)
                    out += "\n"
                }
            }
        case .array(let items) where !items.isEmpty:
            var first = true
            for item in items {
                if !(first && inline) { pad(indent, &out) }
                first = false
                out += "- "
                switch item {
                case .object(let o) where !o.isEmpty:
                    node(item, indent: indent + 2, inline: true, into: &out)
                case .array(let a) where !a.isEmpty:
                    node(item, indent: indent + 2, inline: true, into: &out)
                default:
                    scalar(item, indent: indent, into: &out)
                    out += "\n"
                }
            }
        default:
            scalar(value, indent: indent, into: &out)
            out += "\n"
        }
    }

    private static func pad(_ n: Int, _ out: inout String) {
        for _ in 0..<n { out += " " }
    }

    private static func scalar(_ value: JSON, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += double(d)
        case .string(let s): out += string(s, indent: indent, allowBlock: true)
        case .array: out += "[]"
        case .object: out += "{}"
        }
    }

    static func double(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        // Swift prints integral doubles as "1.0" and large ones as "1e+20": both read back as floats.
        return d.description
    }

    static func string(_ s: String, indent: Int, allowBlock: Bool) -> String {
        if !YAMLScalar.needsQuotes(s) { return s }
        if allowBlock, let block = literalBlock(s, indent: indent + 2) { return block }
        return doubleQuoted(s)
    }

    /// `|`-style block for multi-line text, or nil when a block could not carry it exactly.
    private static func literalBlock(_ s: String, indent: Int) -> String? {
        guard s.utf8.contains(UInt8(ascii: "\n")), let first = s.utf8.first,
              first != UInt8(ascii: " "), first != UInt8(ascii: "\n") else { return nil }
        var previous: UInt8 = 0
        for c in s.utf8 {
            if (c < 0x20 && c != UInt8(ascii: "\n")) || c == 0x7F { return nil }
            if c == UInt8(ascii: "\n") && (previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")) { return nil }
            previous = c
        }
        if previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t") { return nil }
        if s.unicodeScalars.contains(where: { $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{FEFF}" }) {
            return nil
        }
        var lines = s.split(separator: "\n", omittingEmptySubsequences: false)
        var trailingNewlines = 0
        while let last = lines.last, last.isEmpty, lines.count > 1 {
            lines.removeLast()
            trailingNewlines += 1
        }
        let header = trailingNewlines == 0 ? "|-" : (trailingNewlines == 1 ? "|" : "|+")
        var out = header
        let padding = String(repeating: " ", count: indent)
        for line in lines {
            out += "\n"
            if !line.isEmpty { out += padding + line }
        }
        // Keep-chomping needs the extra empty lines written out; the final newline comes from the caller.
        if trailingNewlines > 1 {
            for _ in 1..<trailingNewlines { out += "\n" }
        }
        return out
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            case "\u{FEFF}": out += "\\uFEFF"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex2(UInt8(scalar.value))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    private static func hex2(_ v: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String([digits[Int(v >> 4)], digits[Int(v & 0xF)]])
    }
}
