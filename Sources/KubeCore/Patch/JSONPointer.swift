/// An RFC 6901 JSON Pointer, parsed into reference tokens (`~1` → `/`, `~0` → `~`).
struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    let tokens: [String]
    let description: String

    init(_ text: String) throws(PatchError) {
        description = text
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw .invalidPatch("JSON pointer \"\(text)\" must be empty or start with '/'")
        }
        var result: [String] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            guard raw.contains(UInt8(ascii: "~")) else {
                result.append(String(decoding: raw, as: UTF8.self))
                continue
            }
            var bytes: [UInt8] = []
            var index = raw.startIndex
            while index < raw.endIndex {
                let c = raw[index]
                if c == UInt8(ascii: "~") {
                    let next = raw.index(after: index)
                    guard next < raw.endIndex, raw[next] == UInt8(ascii: "0") || raw[next] == UInt8(ascii: "1") else {
                        throw .invalidPatch("JSON pointer \"\(text)\" has an invalid escape ('~' must be followed by 0 or 1)")
                    }
                    bytes.append(raw[next] == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
                    index = raw.index(after: next)
                } else {
                    bytes.append(c)
                    index = raw.index(after: index)
                }
            }
            result.append(String(decoding: bytes, as: UTF8.self))
        }
        tokens = result
    }

    /// A pointer to `tokens` (escaped back into text for messages).
    init(tokens: [String]) {
        self.tokens = tokens
        var text = ""
        for token in tokens {
            text += "/"
            for ch in token {
                switch ch {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.append(ch)
                }
            }
        }
        description = text
    }

    /// Parses an array index token as evanphx/json-patch v4 (kube-apiserver's) does with
    /// `strconv.Atoi`: an optional sign and decimal digits, leading zeros allowed.
    static func v4Index(_ token: String) -> Int? {
        var utf8 = Substring(token).utf8
        var negative = false
        if let sign = utf8.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard !utf8.isEmpty, utf8.count <= 18 else { return nil }
        var n = 0
        for c in utf8 {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(c - UInt8(ascii: "0"))
        }
        return negative ? -n : n
    }

    /// The index `token` names in an array of `count` items, or nil when out of range.
    /// A negative index counts from the end (v4's default `SupportNegativeIndices`):
    /// `-1` is the last item; for `add` (`insertion`), `-1` is the position after it.
    static func resolve(_ token: String, count: Int, insertion: Bool = false) -> Int? {
        guard let index = v4Index(token) else { return nil }
        let size = insertion ? count + 1 : count
        if index < 0 { return index >= -size ? index + size : nil }
        return index < size ? index : nil
    }

    /// Whether `self` is `other` or lies inside it.
    func isSameOrDescendant(of other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }
}
