/// What strategic merge patch needs to know about the Kubernetes types: for each field of
/// each type, the type of its value, whether it is a list, its patch strategies and its
/// merge key. Built once from the Kubernetes JSON Schema definitions (`$defs`, each with
/// `properties`, `$ref`, `items`, `additionalProperties`, `x-kubernetes-patch-strategy`,
/// `x-kubernetes-patch-merge-key`, `x-kubernetes-group-version-kind`), then shared read-only.
public struct PatchSchema: Sendable {
    /// Patch metadata of one field.
    public struct Field: Sendable, Hashable {
        /// The field holds an array.
        public let isList: Bool
        /// `x-kubernetes-patch-strategy`, split at commas (e.g. `["merge", "retainKeys"]`).
        public let strategies: [String]
        /// `x-kubernetes-patch-merge-key`, for lists of objects merged by key.
        public let mergeKey: String?
        /// Index of the definition describing the value (or the list item / map value).
        let target: Int?

        /// A list whose patch strategy includes `merge`.
        public var isMergeList: Bool { isList && strategies.contains("merge") }
        /// The patch strategy includes `retainKeys`.
        public var retainsKeys: Bool { strategies.contains("retainKeys") }
    }

    /// One type (definition) of the schema.
    public struct Node: Sendable {
        let storage: Storage
        let index: Int

        /// The definition name, such as `io.k8s.api.core.v1.PodSpec` (inline types get a
        /// synthetic name ending in the field path).
        public var name: String { storage.definitions[index].name }

        /// Patch metadata of `field`, or nil when the type does not declare it.
        public func field(_ field: String) -> Field? {
            let definition = storage.definitions[index]
            return definition.fields[field] ?? definition.additional
        }

        /// The type of `field`'s value (for lists: of their items; for maps: of their values).
        public func child(_ field: String) -> Node? {
            guard let target = self.field(field)?.target else { return nil }
            return Node(storage: storage, index: target)
        }

        /// Whether `field` is a list merged by strategy (`x-kubernetes-patch-strategy: merge`).
        public func isMergeList(_ field: String) -> Bool { self.field(field)?.isMergeList ?? false }

        /// The merge key of a list-of-objects field.
        public func mergeKey(_ field: String) -> String? { self.field(field)?.mergeKey }
    }

    struct Definition: Sendable {
        let name: String
        var fields: [String: Field]
        var additional: Field?
    }

    final class Storage: Sendable {
        let definitions: [Definition]
        let byName: [String: Int]
        let byKind: [GroupVersionKind: Int]

        init(definitions: [Definition], byName: [String: Int], byKind: [GroupVersionKind: Int]) {
            self.definitions = definitions
            self.byName = byName
            self.byKind = byKind
        }
    }

    let storage: Storage

    /// Builds the schema from the definitions document (`{"$defs": {...}}`; a bare
    /// `{"definitions": {...}}` OpenAPI v2 document works too). Unknown shapes are skipped.
    public init(definitions document: JSON) {
        let defs = document["$defs"]?.objectValue ?? document["definitions"]?.objectValue ?? [:]
        var builder = Builder()
        // Names get indexes first so that `$ref`s resolve regardless of order.
        let names = defs.keys.sorted()
        for name in names {
            builder.byName[name] = builder.definitions.count
            builder.definitions.append(Definition(name: name, fields: [:], additional: nil))
        }
        for name in names {
            guard let index = builder.byName[name], let schema = defs[name] else { continue }
            builder.fill(index, from: schema)
            for gvk in schema["x-kubernetes-group-version-kind"]?.arrayValue ?? [] {
                guard let group = gvk["group"]?.stringValue, let version = gvk["version"]?.stringValue,
                      let kind = gvk["kind"]?.stringValue else { continue }
                let apiVersion = group.isEmpty ? version : group + "/" + version
                // Shared types (DeleteOptions, WatchEvent) list many kinds; the first one wins.
                let key = GroupVersionKind(apiVersion: apiVersion, kind: kind)
                if builder.byKind[key] == nil { builder.byKind[key] = index }
            }
        }
        storage = Storage(definitions: builder.definitions, byName: builder.byName, byKind: builder.byKind)
    }

    /// The node of the top-level type for a kind, e.g. `io.k8s.api.core.v1.Pod` for `v1 Pod`.
    public func root(for gvk: GroupVersionKind) -> Node? {
        storage.byKind[gvk].map { Node(storage: storage, index: $0) }
    }

    /// The node of a definition by its name.
    public func node(named name: String) -> Node? {
        storage.byName[name].map { Node(storage: storage, index: $0) }
    }

    /// Number of definitions (including synthetic inline ones).
    public var definitionCount: Int { storage.definitions.count }

    private struct Builder {
        var definitions: [Definition] = []
        var byName: [String: Int] = [:]
        var byKind: [GroupVersionKind: Int] = [:]

        mutating func fill(_ index: Int, from schema: JSON) {
            var fields: [String: Field] = [:]
            let name = definitions[index].name
            for (fieldName, fieldSchema) in schema["properties"]?.objectValue ?? [:] {
                fields[fieldName] = field(fieldSchema, path: name + "." + fieldName)
            }
            var additional: Field?
            if let extra = schema["additionalProperties"], extra.objectValue != nil {
                additional = field(extra, path: name + ".*")
            }
            definitions[index].fields = fields
            definitions[index].additional = additional
        }

        mutating func field(_ schema: JSON, path: String) -> Field {
            let strategies = schema["x-kubernetes-patch-strategy"]?.stringValue?
                .split(separator: ",").map { String($0.trimmingSpaces()) } ?? []
            let mergeKey = schema["x-kubernetes-patch-merge-key"]?.stringValue
            var isList = false
            if let type = schema["type"] {
                isList = type.stringValue == "array" || (type.arrayValue?.contains(.string("array")) ?? false)
            }
            var valueSchema = schema
            if let items = schema["items"], items.objectValue != nil {
                isList = true
                valueSchema = items
            }
            return Field(isList: isList, strategies: strategies, mergeKey: mergeKey,
                         target: target(of: valueSchema, path: path))
        }

        /// The definition describing a value schema: its `$ref`, or a synthetic definition
        /// for an inline object with properties or typed map values.
        mutating func target(of schema: JSON, path: String) -> Int? {
            if let ref = schema["$ref"]?.stringValue {
                let name = ref.split(separator: "/").last.map(String.init) ?? ref
                return byName[name]
            }
            let hasProperties = schema["properties"]?.objectValue != nil
            let hasTypedValues = schema["additionalProperties"]?.objectValue != nil
            guard hasProperties || hasTypedValues else { return nil }
            let index = definitions.count
            definitions.append(Definition(name: path, fields: [:], additional: nil))
            fill(index, from: schema)
            return index
        }
    }
}
