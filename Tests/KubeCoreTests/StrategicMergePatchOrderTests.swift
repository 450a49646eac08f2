import Testing
@testable import KubeCore

@Suite("Strategic merge patch $setElementOrder, as apimachinery strategicpatch")
struct StrategicMergePatchOrderTests {
    static let definitions = #"""
    {"$defs": {"T": {"x-kubernetes-group-version-kind": [{"group": "g", "version": "v1", "kind": "T"}],
      "properties": {
        "l": {"type": "array", "items": {"type": "object"}, "x-kubernetes-patch-strategy": "merge",
              "x-kubernetes-patch-merge-key": "name"},
        "p": {"type": "array", "items": {"type": "integer"}, "x-kubernetes-patch-strategy": "merge"}}}}}
    """#

    func apply(_ patch: String, to document: String) throws -> JSON {
        let node = try #require(PatchSchema(definitions: json(Self.definitions)).root(for: GroupVersionKind(apiVersion: "g/v1", kind: "T")))
        return try StrategicMergePatch.apply(json(patch), to: json(document), schema: node)
    }

    // apimachinery strategicpatch mergePatchIntoOriginal/normalizeElementOrder: items named by
    // $setElementOrder are ordered by it; a server-only item is placed before a patch item only
    // when both are in the live list and it came first there (mergeSortedSlice), so a new
    // item 4 goes before the server-only 3: [2, 4, 3].
    @Test("new items go before server-only items that follow them in no live order: [2, 4, 3]")
    func newItemsBeforeServerOnly() throws {
        #expect(try apply(#"{"$setElementOrder/p": [2, 4], "p": [4]}"#, to: #"{"p": [2, 3]}"#) == json(#"{"p": [2, 4, 3]}"#))
        let maps = try apply(#"{"$setElementOrder/l": [{"name": "2"}, {"name": "4"}], "l": [{"name": "4"}]}"#,
                             to: #"{"l": [{"name": "2"}, {"name": "3"}]}"#)
        #expect(maps["l"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["2", "4", "3"])
        // A server-only item that comes before a patch item in the live list stays before it.
        #expect(try apply(#"{"$setElementOrder/p": [2, 4]}"#, to: #"{"p": [1, 2, 3, 4]}"#) == json(#"{"p": [1, 2, 3, 4]}"#))
        #expect(try apply(#"{"$setElementOrder/p": [4, 2], "p": [4]}"#, to: #"{"p": [2, 3]}"#) == json(#"{"p": [4, 2, 3]}"#))
    }

    // apimachinery validatePatchWithSetOrderList: "the order in patch list ... doesn't match
    // $setElementOrder list ..." when an item of the patch list is missing from the order list
    // or out of its order; `$patch: delete` items are not checked.
    @Test("a $setElementOrder list that contradicts the patch list is rejected")
    func contradictingOrderRejected() throws {
        for patch in [
            #"{"$setElementOrder/p": [2], "p": [4]}"#,
            #"{"$setElementOrder/p": [4, 2], "p": [2, 4]}"#,
            #"{"$setElementOrder/l": [{"name": "2"}], "l": [{"name": "4"}]}"#,
        ] {
            do {
                _ = try apply(patch, to: #"{"p": [2, 3], "l": [{"name": "2"}]}"#)
                Issue.record("applied \(patch)")
            } catch let error as PatchError {
                #expect(error.kind == .invalidPatch)
                #expect(error.message.contains("doesn't match $setElementOrder list"), "\(error.message)")
            }
        }
        // Deletions need not be listed; order lists may name more than the patch list.
        let ok = try apply(#"{"$setElementOrder/l": [{"name": "2"}, {"name": "5"}], "l": [{"name": "2", "x": 1}, {"name": "3", "$patch": "delete"}]}"#,
                           to: #"{"l": [{"name": "2"}, {"name": "3"}]}"#)
        #expect(try ok["l"] == json(#"[{"name": "2", "x": 1}]"#))
    }

    // apimachinery strategicpatch mergeSlice: after merging, normalizeElementOrder(patchItems,
    // serverOnly, patch, original) runs even without $setElementOrder, so the patch list's own
    // order wins over the live order for the items it names, and a new item the patch lists
    // first comes first (mergeSortedSlice puts a server-only item first only when both are live).
    @Test("without $setElementOrder the patch list's order is kept for the items it names")
    func patchOrderWithoutSetElementOrder() throws {
        let maps = try apply(#"{"l": [{"name": "d"}, {"name": "a", "x": 1}]}"#,
                             to: #"{"l": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}"#)
        #expect(maps["l"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["d", "a", "b", "c"])
        #expect(try maps["l"]?.arrayValue?[1] == json(#"{"name": "a", "x": 1}"#))
        // Appending a new item at the end stays an append.
        let appended = try apply(#"{"l": [{"name": "c", "x": 1}, {"name": "d"}]}"#,
                                 to: #"{"l": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}"#)
        #expect(appended["l"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b", "c", "d"])
        // Primitive merge lists: deduplicated union (deduplicateScalars), the same ordering.
        #expect(try apply(#"{"p": [4, 1]}"#, to: #"{"p": [1, 2, 3]}"#) == json(#"{"p": [4, 1, 2, 3]}"#))
        #expect(try apply(#"{"p": [3, 4]}"#, to: #"{"p": [1, 2, 2, 3]}"#) == json(#"{"p": [1, 2, 3, 4]}"#))
    }

    // apimachinery: mergeSliceWithSpecialElements refuses `$patch: merge` in a list ("merging
    // lists cannot yet be specified in the patch"), handleDirectiveInMergeMap refuses it in a map,
    // and applyRetainKeysDirective refuses a patch field missing from $retainKeys
    // (ErrBadPatchFormatForRetainKeys).
    @Test("$patch: merge and a field outside $retainKeys are refused")
    func refusedDirectives() throws {
        for patch in [
            #"{"l": [{"name": "a", "$patch": "merge"}]}"#,
            #"{"$patch": "merge"}"#,
            #"{"l": [{"name": "a", "x": 1, "$retainKeys": ["name"]}]}"#,
        ] {
            #expect(throws: PatchError.self, "\(patch)") { try apply(patch, to: #"{"l": [{"name": "a"}]}"#) }
        }
        let retained = try apply(#"{"l": [{"name": "a", "x": 1, "$retainKeys": ["name", "x"]}]}"#, to: #"{"l": [{"name": "a", "y": 2}]}"#)
        #expect(try retained == json(#"{"l": [{"name": "a", "x": 1}]}"#))
    }
}
