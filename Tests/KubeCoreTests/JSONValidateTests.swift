import Testing
@testable import KubeCore
import KubeTestSupport

/// `JSON.validate` is the parser run without building values: it must accept exactly what
/// `JSON.parse` accepts and fail at the same offset with the same message.
@Suite("JSON validation without a tree")
struct JSONValidateTests {
    private func outcome(_ parse: () throws(JSONError) -> Void) -> JSONError? {
        do throws(JSONError) {
            try parse()
            return nil
        } catch {
            return error
        }
    }

    private func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let parsed = outcome { () throws(JSONError) in _ = try JSON.parse(bytes: bytes) }
        let validated = outcome { () throws(JSONError) in try JSON.validate(bytes: bytes) }
        #expect(parsed?.offset == validated?.offset, "\(String(decoding: bytes, as: UTF8.self).debugDescription)",
                sourceLocation: sourceLocation)
        #expect(parsed?.message == validated?.message, sourceLocation: sourceLocation)
    }

    @Test("valid and malformed samples: the same verdict, offset and message", arguments: [
        "null", "true", " [1, 2.5e3, -0, \"a\\u00e9\", {\"k\": [null]}] ", "{\"a\":1,\"a\":2}", "\"\\ud800\"",
        "", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "tru", "nul", "01", "1.", "-", "1e", "\"abc", "\"\\x\"",
        "[1] 2", "{\"a\":1,}", "\"\u{1}\"", "'a'", "NaN", "[", "\"\\u12\"", "1e999", "[1e999]",
    ])
    func samples(text: String) {
        expectAgreement(Array(text.utf8))
    }

    @Test("nesting: the same depth limit")
    func nesting() {
        expectAgreement(Array((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8))
        expectAgreement(Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8))
    }

    @Test("seeded random documents, cut and corrupted: the same verdict everywhere")
    func randomized() {
        var rng = SeededGenerator(defaultSeed: 20261206)
        let alphabet = Array("{}[],:\"\\ 0123456789.eE+-truefalsnul\u{1}é".utf8)
        for _ in 0..<400 {
            let value = randomValue(&rng, depth: 0)
            var bytes = value.serializedBytes()
            expectAgreement(bytes)
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            expectAgreement(Array(bytes[..<cut]))
            if !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                expectAgreement(bytes)
            }
        }
    }

    private func randomValue(_ rng: inout SeededGenerator, depth: Int) -> JSON {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int64.random(in: -1_000_000...1_000_000, using: &rng))
        case 3: return .double(Double.random(in: -1e6...1e6, using: &rng))
        case 4: return .string(String(repeating: "x\"\n", count: Int.random(in: 0..<3, using: &rng)))
        case 5: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSON] = [:]
            for i in 0..<Int.random(in: 0..<4, using: &rng) { members["k\(i)"] = randomValue(&rng, depth: depth + 1) }
            return .object(members)
        }
    }
}
