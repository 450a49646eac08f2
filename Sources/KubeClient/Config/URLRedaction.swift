/// Hides the password of a URL's user information (`scheme://user:password@host`), as Go's
/// `url.URL.Redacted` does: `scheme://user:xxxxx@host`.
enum URLRedaction {
    static func redacted(_ url: String) -> String {
        let bytes = Array(url.utf8)
        guard let schemeEnd = firstIndex(of: Array("://".utf8), in: bytes) else { return url }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < bytes.count, !"/?#".utf8.contains(bytes[authorityEnd]) { authorityEnd += 1 }
        guard let at = bytes[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")),
              let colon = bytes[authorityStart..<at].firstIndex(of: UInt8(ascii: ":")) else { return url }
        let head = String(decoding: bytes[..<(colon + 1)], as: UTF8.self)
        let tail = String(decoding: bytes[at...], as: UTF8.self)
        return head + "xxxxx" + tail
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
