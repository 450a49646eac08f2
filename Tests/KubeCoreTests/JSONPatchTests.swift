import Testing
@testable import KubeCore

@Suite("JSON Patch (RFC 6902)")
struct JSONPatchTests {
    /// RFC 6902 appendix A: (document, patch, expected result or nil for an error).
    static let specExamples: [(String, String, String?)] = [
        // A.1 adding an object member
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        // A.2 adding an array element
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        // A.3 removing an object member
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        // A.4 removing an array element
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        // A.5 replacing a value
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        // A.6 moving a value
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
         #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        // A.7 moving an array element
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#,
         #"{"foo":["all","cows","eat","grass"]}"#),
        // A.8 testing a value: success
        (#"{"baz":"qux","foo":["a",2,"c"]}"#,
         #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
         #"{"baz":"qux","foo":["a",2,"c"]}"#),
        // A.9 testing a value: error
        (#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#, nil),
        // A.10 adding a nested member object
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
         #"{"foo":"bar","child":{"grandchild":{}}}"#),
        // A.11 ignoring unrecognized elements
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, #"{"foo":"bar","baz":"qux"}"#),
        // A.12 adding to a nonexistent target
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, nil),
        // A.14 ~ escape ordering
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#, #"{"/":9,"~1":10}"#),
        // A.15 comparing strings and numbers
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#, nil),
        // A.16 adding an array value
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test("the RFC 6902 appendix A examples give the documented results", arguments: 0..<specExamples.count)
    func specExample(index: Int) throws {
        let (document, patch, expected) = Self.specExamples[index]
        if let expected {
            #expect(try JSONPatch.apply(json(patch), to: json(document)) == json(expected))
        } else {
            #expect(throws: PatchError.self) { try JSONPatch.apply(json(patch), to: json(document)) }
        }
    }

    @Test("copy duplicates a value and replace at the root swaps the document")
    func copyAndRoot() throws {
        let copied = try JSONPatch.apply(json(#"[{"op":"copy","from":"/a","path":"/b"}]"#), to: json(#"{"a":{"x":1}}"#))
        #expect(copied == (try json(#"{"a":{"x":1},"b":{"x":1}}"#)))
        let replaced = try JSONPatch.apply(json(#"[{"op":"replace","path":"","value":[1]}]"#), to: json(#"{"a":1}"#))
        #expect(replaced == [1])
        let added = try JSONPatch.apply(json(#"[{"op":"add","path":"/a","value":null}]"#), to: json(#"{}"#))
        #expect(added == ["a": nil])
    }

    @Test("a failing operation leaves the input untouched and says which operation failed")
    func atomic() throws {
        let document = try json(#"{"a":1}"#)
        let patch = try json(#"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zz"}]"#)
        do {
            _ = try JSONPatch.apply(patch, to: document)
            Issue.record("patch applied")
        } catch {
            #expect(error.kind == .pathNotFound)
            #expect(error.message.hasPrefix("operation 1:"))
        }
        #expect(document == ["a": 1])
    }

    @Test("malformed patches are rejected as invalid", arguments: [
        #"{"op":"add"}"#, #"[{"path":"/a"}]"#, #"[{"op":"jump","path":"/a"}]"#, #"[{"op":"add","path":"a","value":1}]"#,
        #"[{"op":"move","path":"/a"}]"#, #"[{"op":"add","path":"/~2","value":1}]"#,
        #"[{"op":"move","from":"/a","path":"/a/b"}]"#,
    ])
    func invalid(patch: String) throws {
        do {
            _ = try JSONPatch.apply(json(patch), to: json(#"{"a":{}}"#))
            Issue.record("patch applied")
        } catch let error as PatchError {
            #expect(error.kind == .invalidPatch, "\(error)")
        }
    }

    // Leading zeros are accepted as evanphx/json-patch v4 does (JSONPatchV4Tests); a negative
    // index beyond the start is not.
    @Test("array indexes must be in range and numeric", arguments: [
        #"[{"op":"add","path":"/a/3","value":1}]"#, #"[{"op":"replace","path":"/a/-3","value":1}]"#,
        #"[{"op":"remove","path":"/a/-"}]"#, #"[{"op":"test","path":"/a/x","value":1}]"#,
    ])
    func badIndexes(patch: String) throws {
        #expect(throws: PatchError.self) { try JSONPatch.apply(json(patch), to: json(#"{"a":[1,2]}"#)) }
    }
}
