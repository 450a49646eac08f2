import KubeCore

/// A minimal OpenAPI v3 surface: the root index and, per group/version, PATCH operations
/// tagged with their group/version/kind that accept `fieldValidation`. That is what
/// kubectl (1.27+) reads to decide that validation happens on the server; without it,
/// `kubectl apply` fails with "failed to download openapi". Schemas are not served, so
/// kubectl computes strategic merge patches from its compiled-in types (and JSON merge
/// patches for custom resources), as it does against servers without OpenAPI.
enum OpenAPIDocuments {
    static func path(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    static func root(tables: ResourceRegistry.Tables) -> JSON {
        var paths: [String: JSON] = [:]
        for group in tables.groups {
            for version in tables.versions[group] ?? [] {
                let p = path(group: group, version: version)
                let hash = fnv(groupVersion(group: group, version: version, tables: tables)?.serializedBytes() ?? [])
                paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash)")]
            }
        }
        return ["paths": .object(paths)]
    }

    static func groupVersion(group: String, version: String, tables: ResourceRegistry.Tables) -> JSON? {
        guard let resources = tables.resources[tables.key(group, version)] else { return nil }
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var paths: [String: JSON] = [:]
        for r in resources where r.verbs.contains("patch") {
            let content: [String: JSON] = [
                "application/json-patch+json": ["schema": [:]],
                "application/merge-patch+json": ["schema": [:]],
                "application/apply-patch+yaml": ["schema": [:]],
            ]
            let operation: JSON = [
                "operationId": .string("patch\(r.kind)"),
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)],
                "parameters": [
                    ["name": "dryRun", "in": "query", "schema": ["type": "string"]],
                    ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
                    ["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
                    ["name": "force", "in": "query", "schema": ["type": "boolean"]],
                ],
                "requestBody": ["content": .object(content), "required": true],
                "responses": ["200": ["description": "OK"]],
            ]
            let item = r.namespaced ? "\(prefix)/namespaces/{namespace}/\(r.name)/{name}" : "\(prefix)/\(r.name)/{name}"
            paths[item] = ["patch": operation]
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.37.0"],
            "paths": .object(paths),
            "components": ["schemas": [:]],
        ]
    }

    static func fnv(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16, uppercase: true)
    }
}
