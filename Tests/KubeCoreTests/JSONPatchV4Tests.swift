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

    // evanphx/json-patch#204 (and #78, #119): v4's `replace` checks the member with its object
    // container's get, which answers a missing member as nil without error, so the value is
    // set; v5 refuses ("replace operation does not apply: doc is missing key"). kube-apiserver
    // applies JSON patches with v4.
    @Test("replace of a missing member of an existing object adds it; a missing parent still fails")
    func replaceMissingMember() throws {
        #expect(try apply(#"[{"op":"replace","path":"/a/new","value":1}]"#, to: #"{"a":{}}"#) == json(#"{"a":{"new":1}}"#))
        #expect(throws: PatchError.self) { try apply(#"[{"op":"replace","path":"/x/new","value":1}]"#, to: #"{"a":{}}"#) }
        #expect(throws: PatchError.self) { try apply(#"[{"op":"replace","path":"/a/2","value":1}]"#, to: #"{"a":[1,2]}"#) }
        // remove and move of a missing member fail in v4 too ("Unable to remove nonexistent key").
        #expect(throws: PatchError.self) { try apply(#"[{"op":"remove","path":"/a/x"}]"#, to: #"{"a":{}}"#) }
        #expect(throws: PatchError.self) { try apply(#"[{"op":"move","from":"/a/x","path":"/b"}]"#, to: #"{"a":{}}"#) }
    }

    // v4 `copy` reads `from` with the same get (a missing member is a nil node, deep-copied as
    // null); v4 `add`/`replace` pass `Operation.value()`, nil when "value" is absent, written as null.
    @Test("copy from a missing member copies null; add and replace without value write null")
    func nullFromMissing() throws {
        #expect(try apply(#"[{"op":"copy","from":"/a/x","path":"/b"}]"#, to: #"{"a":{}}"#) == json(#"{"a":{},"b":null}"#))
        #expect(try apply(#"[{"op":"add","path":"/b"}]"#, to: #"{"a":1}"#) == json(#"{"a":1,"b":null}"#))
        #expect(try apply(#"[{"op":"replace","path":"/a"}]"#, to: #"{"a":1}"#) == json(#"{"a":null}"#))
        #expect(throws: PatchError.self) { try apply(#"[{"op":"copy","from":"/x/y","path":"/b"}]"#, to: #"{"a":{}}"#) }
    }

    // kubernetes/kubernetes#105896 moved to v4.12.0 (evanphx/json-patch#146) so that negative
    // indices work in replace/test/copy and in the middle of a path, not only in add/remove.
    @Test("negative indices work in the middle of a path")
    func negativeIntermediate() throws {
        #expect(try apply(#"[{"op":"replace","path":"/a/-1/n","value":2}]"#, to: #"{"a":[{"n":0},{"n":1}]}"#)
                == json(#"{"a":[{"n":0},{"n":2}]}"#))
    }
}
