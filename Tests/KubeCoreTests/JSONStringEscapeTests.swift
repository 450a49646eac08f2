import Testing
@testable import KubeCore

/// One escape decoder for the parser and the byte scanner: the same string either way,
/// unpaired surrogates included (U+FFFD, as Go's encoding/json decodes them).
@Suite("JSON string escapes")
struct JSONStringEscapeTests {
    static let cases: [(String, String)] = [
        (#""plain""#, "plain"),
        (#""a\"b\\c\/d\b\f\n\r\t""#, "a\"b\\c/d\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u4e2d\ud83d\ude00""#, "é中😀"),
        (#""\ud800""#, "\u{FFFD}"),
        (#""x\udc00y""#, "x\u{FFFD}y"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""\ud800\ud800\udc00""#, "\u{FFFD}𐀀"),
        (#""\ud83d""#, "\u{FFFD}"),
    ]

    @Test("parser and scanner decode alike")
    func bothPaths() throws {
        for (text, expected) in Self.cases {
            #expect(try JSON.parse(text) == .string(expected), "parse \(text)")
            var bytes = Array(text.utf8)
            let scanned = try bytes.withUnsafeMutableBufferPointer { buf throws(JSONError) -> String in
                var scanner = JSONScanner(UnsafeBufferPointer(buf))
                return try scanner.readString()
            }
            #expect(scanned == expected, "scan \(text)")
        }
    }

    @Test("an unpaired surrogate in a name reads the same in the summary and the tree")
    func metadataPath() throws {
        let object = Array(#"{"metadata":{"name":"p\ud800","labels":{"k\udc00":"v\ud800"}}}"#.utf8)
        let summary = try object.withUnsafeBytes { try ObjectSummary(bytes: $0) }
        let tree = try JSON.parse(bytes: object)
        #expect(summary.name == "p\u{FFFD}" && tree["metadata"]?["name"]?.stringValue == summary.name)
        #expect(summary.labels == ["k\u{FFFD}": "v\u{FFFD}"])
    }

    @Test("bad escapes and raw control characters fail on both paths", arguments: [
        #""\x""#, #""\u12""#, #""\u12g4""#, "\"a\u{1}\\n\"",
    ])
    func bad(text: String) {
        #expect(throws: JSONError.self) { try JSON.parse(text) }
        let bytes = Array(text.utf8)
        #expect(throws: JSONError.self) {
            try bytes.withUnsafeBufferPointer { buf throws(JSONError) in
                var scanner = JSONScanner(buf)
                _ = try scanner.readString()
            }
        }
    }
}
