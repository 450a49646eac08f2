import Testing
@testable import KubeCore
import KubeTestSupport

@Suite("JSON Merge Patch (RFC 7386)")
struct JSONMergePatchTests {
    /// RFC 7386 appendix A: (original, patch, result).
    static let specExamples: [(String, String, String)] = [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ]

    @Test("the RFC 7386 appendix A examples give the documented results", arguments: 0..<specExamples.count)
    func specExample(index: Int) throws {
        let (original, patch, expected) = Self.specExamples[index]
        #expect(JSONMergePatch.apply(try json(patch), to: try json(original)) == (try json(expected)))
    }

    @Test("diff produces the patch that turns one object into the other")
    func diff() throws {
        let from = try json(#"{"a":1,"b":{"c":2,"d":3},"e":[1],"gone":true}"#)
        let to = try json(#"{"a":1,"b":{"c":5,"d":3},"e":[1,2],"new":{"x":1}}"#)
        let patch = JSONMergePatch.diff(from: from, to: to)
        #expect(patch == (try json(#"{"b":{"c":5},"e":[1,2],"gone":null,"new":{"x":1}}"#)))
        #expect(JSONMergePatch.apply(patch, to: from) == to)
        #expect(JSONMergePatch.diff(from: to, to: to) == [:])
    }

    @Test("random object pairs: applying the diff gives the target")
    func randomDiff() {
        var rng = SeededGenerator(defaultSeed: 13)
        func randomObject(depth: Int) -> JSON {
            var members: [String: JSON] = [:]
            for key in ["a", "b", "c", "d"] where Bool.random(using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where depth < 3: members[key] = randomObject(depth: depth + 1)
                case 1: members[key] = .int(Int64.random(in: 0..<3, using: &rng))
                case 2: members[key] = .array([.string(key)])
                default: members[key] = .string(key)
                }
            }
            return .object(members)
        }
        for _ in 0..<500 {
            let from = randomObject(depth: 0)
            let to = randomObject(depth: 0)
            #expect(JSONMergePatch.apply(JSONMergePatch.diff(from: from, to: to), to: from) == to)
        }
    }
}
