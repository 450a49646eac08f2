import Foundation
import KubeCore

/// `fieldValidation=Strict` for built-in types: unknown fields in a create or update body are
/// refused as kube-apiserver refuses them (400 BadRequest, `strict decoding error: unknown field
/// "spec.foo"`), checked against the bundled v1.37 definitions. Custom resources and types the
/// definitions do not describe are not checked. Duplicate fields are not detected (the JSON
/// parser keeps the last one).
enum StrictFields {
    /// The definitions (`$defs`) and the definition name of each built-in kind, loaded once.
    private struct Schema: Sendable {
        let defs: [String: JSON]
        let byKind: [String: String]  // "apiVersion/Kind" -> definition name
    }

    private static let schema: Schema? = {
        guard let url = Bundle.module.url(forResource: "definitions-v1.37.0", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "definitions-v1.37.0", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let document = try? JSON.parse(bytes: [UInt8](data)),
              let defs = document["$defs"]?.objectValue ?? document["definitions"]?.objectValue else { return nil }
        var byKind: [String: String] = [:]
        for (name, definition) in defs {
            for gvk in definition["x-kubernetes-group-version-kind"]?.arrayValue ?? [] {
                guard let group = gvk["group"]?.stringValue, let version = gvk["version"]?.stringValue,
                      let kind = gvk["kind"]?.stringValue else { continue }
                let key = (group.isEmpty ? version : group + "/" + version) + "/" + kind
                if byKind[key] == nil { byKind[key] = name }
            }
        }
        return Schema(defs: defs, byKind: byKind)
    }()

    /// Throws 400 BadRequest naming every unknown field of `body` when the request asks for
    /// `fieldValidation=Strict` and `resource` is a built-in type.
    static func check(_ body: JSON, resource: ResourceInfo, query: [String: String]) throws(Status) {
        guard query["fieldValidation"] == "Strict", !resource.isCustom, let schema,
              let root = schema.byKind[resource.apiVersion + "/" + resource.kind],
              let definition = schema.defs[root] else { return }
        var unknown: [String] = []
        walk(body, definition, path: "", schema: schema, unknown: &unknown)
        guard !unknown.isEmpty else { return }
        let fields = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
        throw Status.badRequest("strict decoding error: \(fields)")
    }

    private static func walk(_ value: JSON, _ definition: JSON, path: String, schema: Schema, unknown: inout [String]) {
        var definition = definition
        // Follow `$ref` (and a single-entry allOf wrapping one) to the described type.
        for _ in 0..<8 {
            if let ref = definition["$ref"]?.stringValue, let name = ref.split(separator: "/").last,
               let target = schema.defs[String(name)] {
                definition = target
            } else if let all = definition["allOf"]?.arrayValue, all.count == 1, let only = all.first {
                definition = only
            } else {
                break
            }
        }
        if let items = value.arrayValue {
            guard let itemSchema = definition["items"], itemSchema.objectValue != nil else { return }
            for (index, item) in items.enumerated() {
                walk(item, itemSchema, path: "\(path)[\(index)]", schema: schema, unknown: &unknown)
            }
            return
        }
        guard let object = value.objectValue else { return }
        let properties = definition["properties"]?.objectValue
        let additional = definition["additionalProperties"].flatMap { $0.objectValue != nil ? $0 : nil }
        // Neither properties nor typed values: a free-form object (RawExtension, JSON).
        guard properties != nil || additional != nil else { return }
        for key in object.keys.sorted() {
            guard let child = object[key] else { continue }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if let property = properties?[key] {
                walk(child, property, path: childPath, schema: schema, unknown: &unknown)
            } else if let additional {
                walk(child, additional, path: childPath, schema: schema, unknown: &unknown)
            } else {
                unknown.append(childPath)
            }
        }
    }
}
