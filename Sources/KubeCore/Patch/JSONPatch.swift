/// RFC 6902 JSON Patch: `add`, `remove`, `replace`, `move`, `copy` and `test`.
///
/// Accepts what kube-apiserver's evanphx/json-patch v4 (v4.12.0) accepts beyond the RFC, because
/// its object containers answer a missing member as null instead of failing:
/// - negative array indices counting from the end, in every operation and at every level
///   (v4.12.0 completed them for get/set, kubernetes/kubernetes#105896), and indices with
///   leading zeros or a sign (`strconv.Atoi`);
/// - `test` with a null (or missing) value succeeds against a missing member of an existing object;
/// - `replace` of a missing member of an existing object adds it (evanphx/json-patch#204:
///   v5 refuses, v4 applies);
/// - `copy` from a missing member of an existing object copies null;
/// - `add`/`replace` without `"value"` write null (v4's `Operation.value()` is then nil).
/// What v4 refuses stays refused: a missing parent, an out-of-range index, `remove` or `move`
/// of a missing member.
///
/// Operations apply in order to a working copy; if one fails the whole patch fails and
/// the input is untouched (the caller's value is never modified). Values are mutated in
/// place along the pointer path, so a patch touching one field of a large object does not
/// copy the rest of it.
public enum JSONPatch {
    /// Applies `patch` (a JSON array of operation objects) to `document`.
    /// `document` is consumed: pass it as a last use (or `consume`) and unchanged parts are not copied.
    public static func apply(_ patch: JSON, to document: consuming JSON) throws(PatchError) -> JSON {
        guard let operations = patch.arrayValue else {
            throw .invalidPatch("a JSON patch must be an array of operations")
        }
        var result = consume document
        for (index, operation) in operations.enumerated() {
            do {
                try applyOperation(operation, to: &result)
            } catch {
                throw PatchError(error.kind, "operation \(index): \(error.message)")
            }
        }
        return result
    }

    private static func applyOperation(_ operation: JSON, to document: inout JSON) throws(PatchError) {
        guard operation.objectValue != nil else { throw .invalidPatch("an operation must be an object") }
        guard let op = operation["op"]?.stringValue else { throw .invalidPatch("missing \"op\"") }
        guard let pathText = operation["path"]?.stringValue else { throw .invalidPatch("\(op): missing \"path\"") }
        let path = try JSONPointer(pathText)

        func requiredValue() -> JSON {
            // v4 writes its nil value node, i.e. null, when "value" is missing.
            operation["value"] ?? .null
        }
        func fromPointer() throws(PatchError) -> JSONPointer {
            guard let from = operation["from"]?.stringValue else { throw .invalidPatch("\(op) \(pathText): missing \"from\"") }
            return try JSONPointer(from)
        }

        switch op {
        case "add":
            try add(requiredValue(), at: path, in: &document)
        case "remove":
            _ = try remove(at: path, in: &document)
        case "replace":
            let value = requiredValue()
            if let last = path.tokens.last, isMissingMember(last, of: path, in: document) {
                try add(value, at: path, in: &document)
            } else {
                try modify(&document, path.tokens[...], path) { (target: inout JSON) throws(PatchError) in target = value }
            }
        case "move":
            let from = try fromPointer()
            if from == path { return }
            if path.isSameOrDescendant(of: from) {
                throw .invalidPatch("move: \"from\" \(from) is a prefix of \"path\" \(pathText)")
            }
            let value = try remove(at: from, in: &document)
            try add(value, at: path, in: &document)
        case "copy":
            let from = try fromPointer()
            let missing = from.tokens.last.map { isMissingMember($0, of: from, in: document) } ?? false
            let value = missing ? JSON.null : try get(from, in: document)
            try add(value, at: path, in: &document)
        case "test":
            // v4 reads a missing "value" as null, and a null value matches a missing member
            // of an existing object (its `test` treats both as an absent node).
            let expected = operation["value"] ?? .null
            if case .null = expected, let last = path.tokens.last, isMissingMember(last, of: path, in: document) {
                return
            }
            let actual = try get(path, in: document)
            guard JSONValueOps.equal(actual, expected) else {
                throw .testFailed("test \(pathText): value \(actual.serialized()) is not \(expected.serialized())")
            }
        default:
            throw .invalidPatch("unknown op \"\(op)\"")
        }
    }

    /// Whether `pointer` names a member its existing parent object lacks: v4's object container
    /// answers such a member as null where the RFC requires it to exist.
    private static func isMissingMember(_ last: String, of pointer: JSONPointer, in document: JSON) -> Bool {
        guard case .object(let parent)? = try? get(JSONPointer(tokens: Array(pointer.tokens.dropLast())), in: document) else {
            return false
        }
        return parent[last] == nil
    }

    static func get(_ pointer: JSONPointer, in document: JSON) throws(PatchError) -> JSON {
        var current = document
        for token in pointer.tokens {
            switch current {
            case .object(let dict):
                guard let next = dict[token] else { throw .pathNotFound("path \(pointer) does not exist") }
                current = next
            case .array(let array):
                guard let index = JSONPointer.resolve(token, count: array.count) else {
                    throw .pathNotFound("path \(pointer) does not exist (bad array index \"\(token)\")")
                }
                current = array[index]
            default:
                throw .pathNotFound("path \(pointer) does not exist")
            }
        }
        return current
    }

    /// Walks to the value at `tokens` (which must exist) and lets `body` change it in place.
    static func modify(_ value: inout JSON, _ tokens: ArraySlice<String>, _ pointer: JSONPointer,
                       _ body: (inout JSON) throws(PatchError) -> Void) throws(PatchError) {
        guard let token = tokens.first else {
            try body(&value)
            return
        }
        let rest = tokens.dropFirst()
        // No `switch value` here: a switch keeps a copy of the value alive for its whole body,
        // which would make the container non-unique and force a copy on write.
        let found: Bool? = try JSONValueOps.withObject(&value) { (dict: inout [String: JSON]) throws(PatchError) -> Bool in
            guard let index = dict.index(forKey: token) else { return false }
            try modify(&dict.values[index], rest, pointer, body)
            return true
        }
        if let found {
            if !found { throw .pathNotFound("path \(pointer) does not exist") }
            return
        }
        let inArray: Void? = try JSONValueOps.withArray(&value) { (array: inout [JSON]) throws(PatchError) in
            guard let index = JSONPointer.resolve(token, count: array.count) else {
                throw .pathNotFound("path \(pointer) does not exist (bad array index \"\(token)\")")
            }
            try modify(&array[index], rest, pointer, body)
        }
        if inArray == nil { throw .pathNotFound("path \(pointer) does not exist") }
    }

    static func add(_ newValue: JSON, at pointer: JSONPointer, in document: inout JSON) throws(PatchError) {
        guard let last = pointer.tokens.last else {
            document = newValue
            return
        }
        try modify(&document, pointer.tokens.dropLast(), pointer) { (parent: inout JSON) throws(PatchError) in
            if JSONValueOps.withObject(&parent, { $0[last] = newValue }) != nil { return }
            let done: Void? = try JSONValueOps.withArray(&parent) { (array: inout [JSON]) throws(PatchError) in
                if last == "-" {
                    array.append(newValue)
                } else if let index = JSONPointer.resolve(last, count: array.count, insertion: true) {
                    array.insert(newValue, at: index)
                } else {
                    throw .pathNotFound("add \(pointer): array index \"\(last)\" is out of range")
                }
            }
            if done == nil { throw .pathNotFound("add \(pointer): parent is not an object or array") }
        }
    }

    /// Removes the value at `pointer` and returns it.
    static func remove(at pointer: JSONPointer, in document: inout JSON) throws(PatchError) -> JSON {
        guard let last = pointer.tokens.last else {
            throw .invalidPatch("remove: the whole document cannot be removed")
        }
        var removed = JSON.null
        try modify(&document, pointer.tokens.dropLast(), pointer) { (parent: inout JSON) throws(PatchError) in
            if let value = JSONValueOps.withObject(&parent, { $0.removeValue(forKey: last) }) {
                guard let present = value else { throw .pathNotFound("path \(pointer) does not exist") }
                removed = present
                return
            }
            let done: Void? = try JSONValueOps.withArray(&parent) { (array: inout [JSON]) throws(PatchError) in
                guard let index = JSONPointer.resolve(last, count: array.count) else {
                    throw .pathNotFound("path \(pointer) does not exist (bad array index \"\(last)\")")
                }
                removed = array.remove(at: index)
            }
            if done == nil { throw .pathNotFound("path \(pointer) does not exist") }
        }
        return removed
    }
}
