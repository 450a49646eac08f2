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

    /// Parses an array index token: decimal digits, no leading zero (except "0").
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, utf8.count <= 18 else { return nil }
        if first == UInt8(ascii: "0") && utf8.count > 1 { return nil }
        var n = 0
        for c in utf8 {
            guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(c - UInt8(ascii: "0"))
        }
        return n
    }

    /// Whether `self` is `other` or lies inside it.
    func isSameOrDescendant(of other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }
}
