import Testing
@testable import KubeCore
import KubeTestSupport

@Suite("JSON parser and serializer")
struct JSONTests {
    @Test("values round-trip through text", arguments: [
        #"null"#, #"true"#, #"false"#, #"0"#, #"-1"#, #"9223372036854775807"#, #"-9223372036854775808"#, #"1.5"#, #"-0.25"#,
        #"1e+300"#, #""""#, #""a\"b\\c\/d\b\f\n\r\t""#, #""\u0000\u001f""#, #"[]"#, #"{}"#, #"[1,[2,[3]],{"a":{}}]"#,
        #"{"b":1,"a":[true,null],"c":{"d":"e"}}"#, #""\ud83d\ude00 é 中""#,
    ])
    func roundTrip(text: String) throws {
        let value = try JSON.parse(text)
        let again = try JSON.parse(value.serialized())
        #expect(again == value)
        #expect(try JSON.parse(bytes: value.serializedBytes()) == value)
    }

    @Test("serialization is compact with sorted keys")
    func canonical() throws {
        let value = try JSON.parse(#" { "b" : 1 , "a" : [ 1 , 2 ] , "c" : { "z" : null , "y" : "s" } } "#)
        #expect(value.serialized() == #"{"a":[1,2],"b":1,"c":{"y":"s","z":null}}"#)
    }

    @Test("escapes and unicode decode to the right characters")
    func escapes() throws {
        #expect(try JSON.parse(#""\n\t\"\\\/""#) == "\n\t\"\\/")
        #expect(try JSON.parse(#""\u00e9\u4e2d""#) == "é中")
        #expect(try JSON.parse(#""\ud83d\ude00""#) == "😀")
        #expect(try JSON.parse(#""😀 raw""#) == "😀 raw")
        let control = JSON.string("\u{1}\u{1f}\n")
        #expect(try JSON.parse(control.serialized()) == control)
        #expect(!control.serialized().utf8.contains(where: { $0 < 0x20 }))
    }

    @Test("numbers keep their integer or floating kind")
    func numbers() throws {
        #expect(try JSON.parse("42") == .int(42))
        #expect(try JSON.parse("42").intValue == 42)
        if case .double(let d) = try JSON.parse("4.5e1") { #expect(d == 45) } else { Issue.record("not a double") }
        #expect(try JSON.parse("-0").doubleValue == 0)
        #expect(try JSON.parse("1.0") == .int(1))
        #expect(try JSON.parse("[1.5]") == [1.5])
        // beyond Int64 a number still parses (as a double)
        #expect(try JSON.parse("18446744073709551616").doubleValue == 18446744073709551616.0)
    }

    @Test("deep nesting up to the limit parses; beyond it fails cleanly")
    func nesting() throws {
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSON.parse(ok) }
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSON.parse(deep) }
    }

    @Test("malformed input fails with an offset", arguments: [
        "", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "tru", "nul", "01", "1.", "-", "1e", "\"abc", "\"\\x\"",
        "[1] 2", "{\"a\":1,}", "\"\u{1}\"", "'a'", "NaN", "[", "\"\\u12\"",
    ])
    func malformed(text: String) {
        do {
            let value = try JSON.parse(text)
            Issue.record("parsed \(text.debugDescription) as \(value)")
        } catch {
            #expect(error.offset >= 0 && error.offset <= text.utf8.count, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("subscripts read, set and remove nested members")
    func subscripts() throws {
        var value: JSON = ["a": ["b": 1], "list": [10, 20]]
        #expect(value["a"]?["b"] == 1)
        #expect(value["list"]?[1] == 20)
        #expect(value["list"]?[5] == nil)
        #expect(value["missing"] == nil)
        value[path: ["x", "y", "z"]] = "deep"
        #expect(value[path: ["x", "y", "z"]] == "deep")
        value["a"] = nil
        #expect(value["a"] == nil)
        value[path: ["x", "y"]] = nil
        #expect(value["x"] == [:])
    }

    @Test("random values round-trip through serialization")
    func randomRoundTrip() throws {
        var rng = SeededGenerator(defaultSeed: 17)
        func random(_ depth: Int) -> JSON {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng) {
            case 0: return .null
            case 1: return .bool(Bool.random(using: &rng))
            case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &rng))
            case 3: return .double(Double.random(in: -1e10...1e10, using: &rng))
            case 4:
                let scalars = (0..<Int.random(in: 0..<8, using: &rng)).compactMap { _ in
                    Unicode.Scalar(UInt32.random(in: 0..<0x1_F000, using: &rng)).flatMap { (0xD800...0xDFFF).contains($0.value) ? nil : $0 }
                }
                var s = ""
                s.unicodeScalars.append(contentsOf: scalars)
                return .string(s)
            case 5: return .array((0..<Int.random(in: 0..<4, using: &rng)).map { _ in random(depth + 1) })
            default:
                var members: [String: JSON] = [:]
                for i in 0..<Int.random(in: 0..<4, using: &rng) { members["k\(i)"] = random(depth + 1) }
                return .object(members)
            }
        }
        for _ in 0..<500 {
            let value = random(0)
            #expect(try JSON.parse(value.serialized()) == value)
        }
    }
}
