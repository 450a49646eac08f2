import KubeCore

/// Serves an object in the version a request asked for. Versions of one resource are
/// assumed to share a schema (true for the built-in pairs in the bundled discovery and
/// for CRDs without conversion webhooks), so conversion only rewrites `apiVersion`.
enum VersionConverter {
    static func bytes(_ object: StoredObject, as resource: ResourceInfo) -> [UInt8] {
        guard object.json["apiVersion"]?.stringValue != resource.apiVersion else { return object.bytes }
        return json(object, as: resource).serializedBytes()
    }

    static func json(_ object: StoredObject, as resource: ResourceInfo) -> JSON {
        var json = object.json
        if json["apiVersion"]?.stringValue != resource.apiVersion {
            json["apiVersion"] = .string(resource.apiVersion)
        }
        return json
    }
}
