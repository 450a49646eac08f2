/// Kubernetes strategic merge patch (apimachinery `strategicpatch`), driven by a `PatchSchema`.
///
/// Supported:
/// - maps merge recursively; `null` deletes a field;
/// - lists whose field has patch strategy `merge` are merged: lists of objects by their
///   `x-kubernetes-patch-merge-key` (matching items merge, new items are added), lists of
///   primitives by union; other lists are replaced;
/// - `$patch: replace` and `$patch: delete` on maps and in lists (`{"$patch": "replace"}`
///   as a list element replaces the whole list; `{"name": "x", "$patch": "delete"}` removes
///   the item with that merge key); `$patch: merge` is refused, as apimachinery does;
/// - `$retainKeys`, `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
///
/// Order of merged lists, as apimachinery (`normalizeElementOrder`): the patch's items come in
/// the patch's order (or the `$setElementOrder` list's), and server-only items keep their
/// original order, each placed before a patch item only when it came before it in the live
/// list (so `[2, 3]` patched with `[4]` under order `[2, 4]` is `[2, 4, 3]`).
///
/// A `$setElementOrder` list that contradicts its patch list (an item of the patch list missing
/// from it, or listed in another relative order) is rejected, as apimachinery does.
///
/// Not supported: `$patch` directives on primitive lists, and patching non-object list items
/// by value. Without a schema node (custom resources, for which kube-apiserver refuses
/// strategic merge patch with 415), every list is replaced, so the patch behaves like a JSON
/// merge patch that also understands the directives.
public enum StrategicMergePatch {
    private static let directive = "$patch"
    private static let retainKeys = "$retainKeys"
    private static let deleteFromPrimitiveList = "$deleteFromPrimitiveList/"
    private static let setElementOrder = "$setElementOrder/"

    /// Applies `patch` (an object) to `document` (an object). `document` is consumed: pass it as
    /// a last use (or `consume`) and unchanged parts are not copied.
    public static func apply(_ patch: JSON, to document: consuming JSON, schema: PatchSchema.Node?) throws(PatchError) -> JSON {
        guard case .object(let patchMembers) = patch else {
            throw .invalidPatch("a strategic merge patch must be a JSON object")
        }
        guard case .object = document else {
            throw .invalidDocument("strategic merge patch applies to a JSON object")
        }
        var result = consume document
        let kept: Bool? = try JSONValueOps.withObject(&result) { (dict: inout [String: JSON]) throws(PatchError) -> Bool in
            try mergeObject(&dict, patchMembers, node: schema)
        }
        // `$patch: delete` at the top leaves an empty object, as apimachinery does.
        return kept == false ? .object([:]) : result
    }

    /// Merges `patch` into `original`; returns false when the patch deletes the whole map.
    private static func mergeObject(_ original: inout [String: JSON], _ patch: [String: JSON],
                                    node: PatchSchema.Node?) throws(PatchError) -> Bool {
        if let value = patch[directive] {
            switch value.stringValue {
            case "delete": return false
            case "replace": original = [:]
            // apimachinery `handleDirectiveInMergeMap` knows only these two in a map.
            default: throw .invalidPatch("unknown patch type: \(value.serialized()) in map (expected replace or delete)")
            }
        }
        if let retain = patch[retainKeys] {
            guard let keys = retain.arrayValue else { throw .badDirectiveFormat("invalid patch format of retainKeys: $retainKeys must be a list of field names") }
            var keep = Set<String>()
            for key in keys {
                guard let name = key.stringValue else { throw .badDirectiveFormat("invalid patch format of retainKeys: $retainKeys must be a list of field names") }
                keep.insert(name)
            }
            // apimachinery `applyRetainKeysDirective`: every field the patch sets must be retained.
            for (key, value) in patch where !key.hasPrefix("$") && value != .null && !keep.contains(key) {
                throw .badDirectiveFormat("invalid patch format of retainKeys: \(key) is not in $retainKeys")
            }
            original = original.filter { keep.contains($0.key) }
        }
        // `$setElementOrder` needs the list as it was before the merge (a cheap copy-on-write reference).
        var orders: [(field: String, order: [JSON], before: [JSON])] = []
        for (key, value) in patch where key.hasPrefix(setElementOrder) {
            guard let order = value.arrayValue else { throw .badDirectiveFormat("invalid patch format of setElementOrder list: \(key) must be a list") }
            let field = String(key.dropFirst(setElementOrder.count))
            if let list = patch[field]?.arrayValue {
                try checkOrder(list, against: order, mergeKey: node?.mergeKey(field))
            }
            orders.append((field, order, original[field]?.arrayValue ?? []))
        }
        for (key, value) in patch {
            if key.hasPrefix("$") {
                if key.hasPrefix(deleteFromPrimitiveList) {
                    let field = String(key.dropFirst(deleteFromPrimitiveList.count))
                    guard let values = value.arrayValue else { throw .badDirectiveFormat("invalid patch format of primitive list: \(key) must be a list") }
                    if original[field] != nil {
                        _ = JSONValueOps.withArray(&original[field, default: .null]) { list in
                            list.removeAll { item in values.contains(item) }
                        }
                    }
                }
                continue
            }
            if case .null = value {
                original.removeValue(forKey: key)
                continue
            }
            let field = node?.field(key)
            let keep = try mergeValue(&original[key, default: .null], value, field: field, node: node?.child(key), path: key)
            if !keep { original.removeValue(forKey: key) }
        }
        for (field, order, before) in orders {
            guard original[field] != nil else { continue }
            let mergeKey = node?.mergeKey(field)
            _ = JSONValueOps.withArray(&original[field, default: .null]) { list in
                reorder(&list, by: order, original: before, mergeKey: mergeKey)
            }
        }
        return true
    }

    /// Merges a patch value into a field value (`.null` when the field is absent); returns
    /// false when the field is to be removed.
    private static func mergeValue(_ original: inout JSON, _ patch: JSON, field: PatchSchema.Field?,
                                   node: PatchSchema.Node?, path: String) throws(PatchError) -> Bool {
        switch patch {
        case .object(let members):
            if case .object = original {} else { original = .object([:]) }
            let keep: Bool? = try JSONValueOps.withObject(&original) { (dict: inout [String: JSON]) throws(PatchError) -> Bool in
                try mergeObject(&dict, members, node: node)
            }
            return keep ?? true
        case .array(let items):
            if let field, field.isMergeList {
                if case .array = original {} else { original = .array([]) }
                _ = try JSONValueOps.withArray(&original) { (list: inout [JSON]) throws(PatchError) in
                    try mergeList(&list, items, mergeKey: field.mergeKey, node: node, path: path)
                }
            } else {
                original = try replacementList(items, node: node)
            }
            return true
        default:
            original = patch
            return true
        }
    }

    /// A list that replaces the original: directive elements dropped, maps cleaned of directives and nulls.
    private static func replacementList(_ items: [JSON], node: PatchSchema.Node?) throws(PatchError) -> JSON {
        guard items.contains(where: { if case .object = $0 { return true } else { return false } }) else {
            return .array(items)
        }
        var result: [JSON] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard case .object(let members) = item else {
                result.append(item)
                continue
            }
            if members.count == 1, members[directive] != nil { continue }
            var fresh: [String: JSON] = [:]
            if try mergeObject(&fresh, members, node: node) { result.append(.object(fresh)) }
        }
        return .array(result)
    }

    private static func mergeList(_ original: inout [JSON], _ patch: [JSON], mergeKey: String?,
                                  node: PatchSchema.Node?, path: String) throws(PatchError) {
        // `{"$patch": "replace"}` anywhere in the list: the rest of the patch list is the new list.
        if patch.contains(where: { $0[directive]?.stringValue == "replace" }) {
            let rest = patch.filter { $0[directive]?.stringValue != "replace" }
            guard case .array(let replaced) = try replacementList(rest, node: node) else { return }
            original = replaced
            return
        }
        guard let mergeKey else {
            // Primitive list with merge strategy: the union without duplicates (apimachinery
            // `deduplicateScalars`), then ordered as below.
            let before = original
            var seen = Set<JSON>()
            var union: [JSON] = []
            var patchItems: [JSON] = []
            for item in original + patch {
                if case .object(let members) = item, members[directive] != nil { continue }
                if seen.insert(item).inserted { union.append(item) }
            }
            for item in patch where union.contains(item) && !patchItems.contains(item) { patchItems.append(item) }
            original = union
            reorder(&original, by: patchItems, original: before, mergeKey: nil)
            return
        }
        // apimachinery `mergeSliceWithSpecialElements`: deletions first, then the other items
        // merge by key; `$patch: merge` in a list is refused as there.
        var merges: [(key: JSON, members: [String: JSON])] = []
        for item in patch {
            guard case .object(let members) = item else {
                throw .invalidPatch("\(path): list items must be objects with merge key \"\(mergeKey)\"")
            }
            let action = members[directive]
            guard let key = members[mergeKey] else {
                throw .invalidPatch("\(path): list item \(item.serialized()) does not contain declared merge key \"\(mergeKey)\"")
            }
            guard let action else {
                merges.append((key, members))
                continue
            }
            switch action.stringValue {
            case "delete": original.removeAll { $0[mergeKey] == key }
            case "merge": throw .invalidPatch("merging lists cannot yet be specified in the patch")
            default: throw .invalidPatch("\(path): unknown $patch directive \(action.serialized()) in list item")
            }
        }
        let before = original
        for (key, members) in merges {
            if let index = original.firstIndex(where: { $0[mergeKey] == key }) {
                if case .object = original[index] {} else { original[index] = .object([:]) }
                let keep: Bool? = try JSONValueOps.withObject(&original[index]) { (dict: inout [String: JSON]) throws(PatchError) -> Bool in
                    try mergeObject(&dict, members, node: node)
                }
                if keep == false { original.remove(at: index) }
            } else {
                var fresh: [String: JSON] = [:]
                if try mergeObject(&fresh, members, node: node) { original.append(.object(fresh)) }
            }
        }
        // apimachinery `mergeSlice` ends with `normalizeElementOrder` even without
        // `$setElementOrder`: the patch's items in patch order, interleaved with server-only ones.
        reorder(&original, by: merges.map { .object($0.members) }, original: before, mergeKey: mergeKey)
    }

    /// apimachinery's `validatePatchWithSetOrderList`: the patch list's items (but `$patch: delete`
    /// items and directive-only items) must all appear in the order list, in the same relative order.
    private static func checkOrder(_ list: [JSON], against order: [JSON], mergeKey: String?) throws(PatchError) {
        guard !list.isEmpty, !order.isEmpty else { return }
        func identity(_ item: JSON) throws(PatchError) -> JSON {
            guard let mergeKey else { return item }
            guard case .object(let members) = item, let key = members[mergeKey] else {
                throw .invalidPatch("map: \(item.serialized()) does not contain declared merge key: \(mergeKey)")
            }
            return key
        }
        let items = list.filter { mergeKey == nil || $0[directive]?.stringValue != "delete" }
        var listIndex = 0
        var orderIndex = 0
        while listIndex < items.count, orderIndex < order.count {
            if case .object(let members) = items[listIndex], members[directive] != nil {
                listIndex += 1
                continue
            }
            if try identity(items[listIndex]) == identity(order[orderIndex]) { listIndex += 1 }
            orderIndex += 1
        }
        if listIndex < items.count {
            throw .invalidPatch("The order in patch list:\n\(JSON.array(list).serialized())\n doesn't match $setElementOrder list:\n\(JSON.array(order).serialized())\n")
        }
    }

    /// `$setElementOrder`, as apimachinery's `normalizeElementOrder`: the items named in the order
    /// list come in that order; the other (server-only) items keep their original order and are
    /// interleaved by their original positions (`mergeSortedSlice`).
    private static func reorder(_ list: inout [JSON], by order: [JSON], original: [JSON], mergeKey: String?) {
        func identity(_ item: JSON) -> JSON {
            if let mergeKey, case .object = item { return item[mergeKey] ?? .null }
            return item
        }
        func positions(_ items: [JSON]) -> [JSON: Int] {
            var result: [JSON: Int] = [:]
            for (position, item) in items.enumerated() where result[identity(item)] == nil {
                result[identity(item)] = position
            }
            return result
        }
        let orderIndex = positions(order)
        let originalIndex = positions(original)
        var patchItems: [(rank: Int, offset: Int, item: JSON)] = []
        var serverOnly: [(rank: Int, offset: Int, item: JSON)] = []
        for (offset, item) in list.enumerated() {
            let id = identity(item)
            if let rank = orderIndex[id] {
                patchItems.append((rank, offset, item))
            } else {
                serverOnly.append((originalIndex[id] ?? -1, offset, item))
            }
        }
        patchItems.sort { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
        serverOnly.sort { ($0.rank, $0.offset) < ($1.rank, $1.offset) }
        var merged: [JSON] = []
        merged.reserveCapacity(list.count)
        var i = 0
        var j = 0
        while i < serverOnly.count || j < patchItems.count {
            if j >= patchItems.count {
                merged.append(serverOnly[i].item); i += 1
            } else if i >= serverOnly.count {
                merged.append(patchItems[j].item); j += 1
            } else if let left = originalIndex[identity(serverOnly[i].item)],
                      let right = originalIndex[identity(patchItems[j].item)], left < right {
                merged.append(serverOnly[i].item); i += 1
            } else {
                merged.append(patchItems[j].item); j += 1
            }
        }
        list = merged
    }
}
