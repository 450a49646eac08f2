import Testing
@testable import KubeCore

/// What kube-apiserver accepts beyond strict RFC 6902, because it applies JSON patches with
/// evanphx/json-patch v4 (`SupportNegativeIndices` on by default; its `test` treats a null
/// value and a missing member alike; array indices are read with `strconv.Atoi`).
@Suite("JSON patch as evanphx/json-patch v4")
struct JSONPatchV4Tests {
    func apply(_ patch: String, to document: String) throws -> JSON {
        try JSONPatch.apply(json(patch), to: json(document))
    }

    @Test("negative indices count from the end: -1 is the last item; for add, the end")
    func negativeIndices() throws {
        let doc = #"{"a":[1,2,3]}"#
        #expect(try apply(#"[{"op":"remove","path":"/a/-1"}]"#, to: doc) == json(#"{"a":[1,2]}"#))
        #expect(try apply(#"[{"op":"replace","path":"/a/-3","value":9}]"#, to: doc) == json(#"{"a":[9,2,3]}"#))
        #expect(try apply(#"[{"op":"test","path":"/a/-2","value":2}]"#, to: doc) == json(doc))
        // add: -1 is len (append), -(len+1) is 0 (v4 TestAdd "negative" cases).
        #expect(try apply(#"[{"op":"add","path":"/a/-1","value":4}]"#, to: doc) == json(#"{"a":[1,2,3,4]}"#))
        #expect(try apply(#"[{"op":"add","path":"/a/-4","value":0}]"#, to: doc) == json(#"{"a":[0,1,2,3]}"#))
        #expect(try apply(#"[{"op":"add","path":"/a/-1","value":1}]"#, to: #"{"a":[]}"#) == json(#"{"a":[1]}"#))
        #expect(try apply(#"[{"op":"copy","from":"/a/-1","path":"/b"}]"#, to: doc)["b"] == 3)
        // v4 "negative too small": beyond the start is an error.
        #expect(throws: PatchError.self) { try apply(#"[{"op":"add","path":"/a/-2","value":1}]"#, to: #"{"a":[]}"#) }
        #expect(throws: PatchError.self) { try apply(#"[{"op":"remove","path":"/a/-4"}]"#, to: doc) }
    }

    @Test("array indices with leading zeros or a plus sign are read as numbers (strconv.Atoi)")
    func atoiIndices() throws {
        #expect(try apply(#"[{"op":"replace","path":"/a/01","value":9}]"#, to: #"{"a":[1,2]}"#) == json(#"{"a":[1,9]}"#))
        #expect(try apply(#"[{"op":"remove","path":"/a/+0"}]"#, to: #"{"a":[1,2]}"#) == json(#"{"a":[2]}"#))
    }

    @Test("test with a null value succeeds against a missing member, fails against a present one")
    func testNullAgainstMissing() throws {
        let doc = #"{"a":{"b":1,"n":null}}"#
        #expect(try apply(#"[{"op":"test","path":"/a/x","value":null}]"#, to: doc) == json(doc))
        #expect(try apply(#"[{"op":"test","path":"/a/n","value":null}]"#, to: doc) == json(doc))
        #expect(throws: PatchError.self) { try apply(#"[{"op":"test","path":"/a/b","value":null}]"#, to: doc) }
        // The parent must exist: v4 fails "test operation does not apply: is missing path".
        #expect(throws: PatchError.self) { try apply(#"[{"op":"test","path":"/x/y","value":null}]"#, to: doc) }
        // A non-null value against a missing member still fails.
        #expect(throws: PatchError.self) { try apply(#"[{"op":"test","path":"/a/x","value":1}]"#, to: doc) }
    }
}
