import FoundationEssentials

/// Any Kubernetes object as a JSON value, with typed accessors for the fields every
/// object has (`apiVersion`, `kind`, `metadata.*`).
///
/// Setters change `object` in place (no copy of the rest of the object when it is uniquely
/// held); setting `nil` (or an empty map / list for labels, annotations, finalizers and
/// owner references) removes the field, as Go's `omitempty` would.
public struct Unstructured: Sendable, Hashable {
    /// The whole object.
    public var object: JSON

    /// Wraps a JSON object; throws when `json` is not an object or `metadata` is not an object.
    public init(json: JSON) throws(UnstructuredError) {
        guard case .object = json else {
            throw UnstructuredError("an object must be a JSON object, not \(Self.typeName(json))")
        }
        if let metadata = json["metadata"], !metadata.isNull, metadata.objectValue == nil {
            throw UnstructuredError("metadata must be a JSON object, not \(Self.typeName(metadata))")
        }
        object = json
    }

    /// A new object with the given type and name.
    public init(apiVersion: String, kind: String, name: String? = nil, namespace: String? = nil) {
        object = .object(["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object([:])])
        self.name = name
        self.namespace = namespace
    }

    // MARK: type

    /// The owner's `apiVersion`.
    public var apiVersion: String? {
        get { object["apiVersion"]?.stringValue }
        set { setTop("apiVersion", newValue.map(JSON.string)) }
    }

    /// The owner's kind.
    public var kind: String? {
        get { object["kind"]?.stringValue }
        set { setTop("kind", newValue.map(JSON.string)) }
    }

    /// Group, version and kind from `apiVersion` and `kind`, when both are set.
    public var groupVersionKind: GroupVersionKind? {
        guard let apiVersion, let kind else { return nil }
        return GroupVersionKind(apiVersion: apiVersion, kind: kind)
    }

    // MARK: metadata strings

    /// The owner's name.
    public var name: String? {
        get { metadataString("name") }
        set { setMetadata("name", newValue.map(JSON.string)) }
    }

    /// `metadata.namespace` (nil for cluster-scoped objects).
    public var namespace: String? {
        get { metadataString("namespace") }
        set { setMetadata("namespace", newValue.map(JSON.string)) }
    }

    /// `metadata.generateName`: the prefix the server completes when `name` is empty.
    public var generateName: String? {
        get { metadataString("generateName") }
        set { setMetadata("generateName", newValue.map(JSON.string)) }
    }

    /// The owner's uid.
    public var uid: String? {
        get { metadataString("uid") }
        set { setMetadata("uid", newValue.map(JSON.string)) }
    }

    /// `metadata.resourceVersion`: the optimistic-concurrency token.
    public var resourceVersion: String? {
        get { metadataString("resourceVersion") }
        set { setMetadata("resourceVersion", newValue.map(JSON.string)) }
    }

    /// `metadata.generation`: incremented by the server on spec changes.
    public var generation: Int64? {
        get { object["metadata"]?["generation"]?.intValue }
        set { setMetadata("generation", newValue.map(JSON.int)) }
    }

    // MARK: metadata maps and lists

    /// `metadata.labels` (non-string values are skipped).
    public var labels: [String: String] {
        get { stringMap("labels") }
        set { setMetadata("labels", newValue.isEmpty ? nil : .object(newValue.mapValues(JSON.string))) }
    }

    /// `metadata.annotations` (non-string values are skipped).
    public var annotations: [String: String] {
        get { stringMap("annotations") }
        set { setMetadata("annotations", newValue.isEmpty ? nil : .object(newValue.mapValues(JSON.string))) }
    }

    /// `metadata.finalizers`.
    public var finalizers: [String] {
        get { object["metadata"]?["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        set { setMetadata("finalizers", newValue.isEmpty ? nil : .array(newValue.map(JSON.string))) }
    }

    /// Owner references; entries missing a required field are skipped.
    public var ownerReferences: [OwnerReference] {
        get { object["metadata"]?["ownerReferences"]?.arrayValue?.compactMap(OwnerReference.init(json:)) ?? [] }
        set { setMetadata("ownerReferences", newValue.isEmpty ? nil : .array(newValue.map { $0.json() })) }
    }

    // MARK: timestamps

    /// `metadata.creationTimestamp` (RFC 3339).
    public var creationTimestamp: Date? {
        get { metadataString("creationTimestamp").flatMap(RFC3339.parse) }
        set { setMetadata("creationTimestamp", newValue.map { .string(RFC3339.format($0)) }) }
    }

    /// `metadata.deletionTimestamp`: set when deletion waits for finalizers.
    public var deletionTimestamp: Date? {
        get { metadataString("deletionTimestamp").flatMap(RFC3339.parse) }
        set { setMetadata("deletionTimestamp", newValue.map { .string(RFC3339.format($0)) }) }
    }

    // MARK: nested fields

    /// The value at a path of object keys (`["spec", "replicas"]`); setting creates
    /// intermediate objects and setting nil removes the last key.
    public subscript(path path: [String]) -> JSON? {
        get {
            var current = object
            for key in path {
                guard let next = current[key] else { return nil }
                current = next
            }
            return current
        }
        set { Self.set(&object, path[...], newValue) }
    }

    /// Variadic form of `subscript(path:)`: `object[path: "spec", "replicas"]`.
    public subscript(path path: String...) -> JSON? {
        get { self[path: path] }
        set { self[path: path] = newValue }
    }

    // MARK: helpers

    private func metadataString(_ key: String) -> String? {
        object["metadata"]?[key]?.stringValue
    }

    private func stringMap(_ key: String) -> [String: String] {
        guard let members = object["metadata"]?[key]?.objectValue else { return [:] }
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        for (k, v) in members {
            if let s = v.stringValue { result[k] = s }
        }
        return result
    }

    private mutating func setTop(_ key: String, _ value: JSON?) {
        Self.set(&object, [key][...], value)
    }

    private mutating func setMetadata(_ key: String, _ value: JSON?) {
        Self.set(&object, ["metadata", key][...], value)
    }

    /// In-place nested set: objects along the path are mutated without copying (see
    /// `JSONValueOps.withObject`); non-object values on the way are replaced by objects.
    static func set(_ target: inout JSON, _ path: ArraySlice<String>, _ value: JSON?) {
        guard let key = path.first else {
            target = value ?? .null
            return
        }
        if case .object = target {} else {
            if value == nil { return }
            target = .object([:])
        }
        _ = JSONValueOps.withObject(&target) { (members: inout [String: JSON]) in
            if path.count == 1 {
                members[key] = value
            } else if value == nil {
                if members[key] != nil { set(&members[key, default: .null], path.dropFirst(), nil) }
            } else {
                set(&members[key, default: .null], path.dropFirst(), value)
            }
        }
    }

    private static func typeName(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
