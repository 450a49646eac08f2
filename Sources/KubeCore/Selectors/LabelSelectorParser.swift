/// Parser for the label selector text syntax, after apimachinery's `labels.Parse`:
///
///     selector    := "" | requirement ("," requirement)*
///     requirement := "!" KEY | KEY | KEY ("=" | "==" | "!=") VALUE? | KEY ("in" | "notin") "(" VALUES ")"
///                  | KEY (">" | "<") INTEGER
///
/// Whitespace between tokens is ignored. Identifiers run until whitespace or one of `!=<>(),`.
struct LabelSelectorParser {
    private enum Token: Equatable {
        case identifier(String)
        case equals, doubleEquals, notEquals, bang, greater, less, open, close, comma, end

        var text: String {
            switch self {
            case .identifier(let s): return s
            case .equals: return "="
            case .doubleEquals: return "=="
            case .notEquals: return "!="
            case .bang: return "!"
            case .greater: return ">"
            case .less: return "<"
            case .open: return "("
            case .close: return ")"
            case .comma: return ","
            case .end: return "end of string"
            }
        }
    }

    private let text: String
    private let bytes: [UInt8]
    private var position = 0
    /// Start offset of the most recently read token, for error messages.
    private var tokenStart = 0
    private var lookahead: (token: Token, start: Int, end: Int)?

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func parse() throws(SelectorError) -> [LabelRequirement] {
        var requirements: [LabelRequirement] = []
        if peek() == .end { return requirements }
        while true {
            requirements.append(try parseRequirement())
            let token = next()
            switch token {
            case .end:
                return requirements
            case .comma:
                // A trailing comma is an error in apimachinery too ("found '', expected: identifier").
                continue
            default:
                throw error("found '\(token.text)', expected: ','")
            }
        }
    }

    private mutating func parseRequirement() throws(SelectorError) -> LabelRequirement {
        var token = next()
        if token == .bang {
            token = next()
            guard case .identifier(let key) = token else {
                throw error("found '\(token.text)', expected: identifier after '!'")
            }
            let after = peek()
            guard after == .end || after == .comma else {
                throw error("found '\(after.text)', expected: ',' or end of string after '!\(key)'")
            }
            return try make(key, .doesNotExist, [])
        }
        guard case .identifier(let key) = token else {
            throw error("found '\(token.text)', expected: identifier")
        }
        let opToken = peek()
        switch opToken {
        case .end, .comma:
            return try make(key, .exists, [])
        case .equals, .doubleEquals, .notEquals:
            _ = next()
            let value: String
            switch peek() {
            case .end, .comma:
                value = ""
            case .identifier(let v):
                _ = next()
                value = v
            case let other:
                _ = next()
                throw error("found '\(other.text)', expected: value for '\(key)'")
            }
            return try make(key, opToken == .notEquals ? .notEquals : .equals, [value])
        case .greater, .less:
            _ = next()
            let valueToken = next()
            guard case .identifier(let value) = valueToken else {
                throw error("found '\(valueToken.text)', expected: integer value for '\(key)'")
            }
            return try make(key, opToken == .greater ? .greaterThan : .lessThan, [value])
        case .identifier("in"), .identifier("notin"):
            _ = next()
            let values = try parseValueList(key: key)
            return try make(key, opToken == .identifier("in") ? .in : .notIn, values)
        default:
            _ = next()
            throw error("found '\(opToken.text)', expected: in, notin, =, ==, !=, >, < or ','")
        }
    }

    /// `"(" [value ("," value)*] ")"`; like apimachinery, an empty slot stands for the empty value.
    private mutating func parseValueList(key: String) throws(SelectorError) -> [String] {
        let open = next()
        guard open == .open else {
            throw error("found '\(open.text)', expected: '(' after '\(key) in/notin'")
        }
        var values: [String] = []
        var expectValue = true
        while true {
            let token = next()
            switch token {
            case .identifier(let value) where expectValue:
                values.append(value)
                expectValue = false
            case .comma:
                if expectValue { values.append("") }
                expectValue = true
            case .close:
                if expectValue { values.append("") }
                return values
            case .end:
                throw error("found end of string, expected: ')'")
            default:
                throw error("found '\(token.text)', expected: \(expectValue ? "value, ',' or ')'" : "',' or ')'")")
            }
        }
    }

    private func make(_ key: String, _ op: LabelRequirement.Operator, _ values: [String]) throws(SelectorError) -> LabelRequirement {
        do {
            return try LabelRequirement(key: key, op: op, values: values)
        } catch {
            throw SelectorError(selector: text, message: error.message)
        }
    }

    private func error(_ message: String) -> SelectorError {
        SelectorError(selector: text, message: "\(message) at position \(tokenStart)")
    }

    private mutating func peek() -> Token {
        if let la = lookahead { return la.token }
        let saved = position
        let (token, start) = scan()
        lookahead = (token, start, position)
        position = saved
        return token
    }

    private mutating func next() -> Token {
        if let la = lookahead {
            lookahead = nil
            position = la.end
            tokenStart = la.start
            return la.token
        }
        let (token, start) = scan()
        tokenStart = start
        return token
    }

    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C
    }

    @inline(__always)
    private static func isSpecial(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","):
            return true
        default:
            return false
        }
    }

    private mutating func scan() -> (Token, Int) {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        let start = position
        guard position < bytes.count else { return (.end, start) }
        let c = bytes[position]
        position += 1
        let nextIsEquals = position < bytes.count && bytes[position] == UInt8(ascii: "=")
        switch c {
        case UInt8(ascii: "="):
            if nextIsEquals { position += 1; return (.doubleEquals, start) }
            return (.equals, start)
        case UInt8(ascii: "!"):
            if nextIsEquals { position += 1; return (.notEquals, start) }
            return (.bang, start)
        case UInt8(ascii: ">"): return (.greater, start)
        case UInt8(ascii: "<"): return (.less, start)
        case UInt8(ascii: "("): return (.open, start)
        case UInt8(ascii: ")"): return (.close, start)
        case UInt8(ascii: ","): return (.comma, start)
        default:
            while position < bytes.count, !Self.isSpace(bytes[position]), !Self.isSpecial(bytes[position]) {
                position += 1
            }
            return (.identifier(String(decoding: bytes[start..<position], as: UTF8.self)), start)
        }
    }
}
