import KubeClient
import KubeCore

/// The resource a dynamic-verb thunk addresses: client, group/version/resource, optional
/// subresource ("deployments/status") and namespace, checked and converted once.
struct ResourceTarget {
    let handle: ClientHandle
    let dynamic: DynamicResource
    let subresource: String?

    init(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?, _ resource: UnsafePointer<CChar>?,
         _ namespace: UnsafePointer<CChar>?) throws(CABIError) {
        handle = try ClientHandle.table.lookup(client)
        let version = try CStrings.nonEmpty(apiVersion, "api_version")
        let resourcePath = try CStrings.nonEmpty(resource, "resource")
        let parts = resourcePath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .invalidArgument("resource \"\(resourcePath)\" must be \"plural\" or \"plural/subresource\"")
        }
        guard version.split(separator: "/", omittingEmptySubsequences: false).count <= 2, !version.hasPrefix("/"),
              !version.hasSuffix("/") else {
            throw .invalidArgument("api_version \"\(version)\" must be \"v1\" or \"group/version\"")
        }
        subresource = parts.count == 2 ? String(parts[1]) : nil
        dynamic = handle.client.resource(apiVersion: version, resource: String(parts[0]),
                                         namespace: try CStrings.optional(namespace, "namespace_name"))
    }

    /// For verbs that act on whole collections (list, watch, delete_collection).
    func requireNoSubresource() throws(CABIError) {
        if let subresource {
            throw .invalidArgument("a subresource (\"\(subresource)\") cannot be listed, watched or deleted")
        }
    }
}

/// An object body the caller passed as JSON text, parsed once for its name and namespace.
struct ObjectBody {
    let bytes: [UInt8]
    let object: Unstructured

    /// JSON text (sent as is), or YAML text holding one object (converted to JSON), as
    /// kubectl accepts either.
    init(json pointer: UnsafePointer<CChar>?) throws {
        guard let pointer else { throw CABIError.invalidArgument("body_json is NULL") }
        let text = CStrings.bytes(pointer)
        let first = text.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard first == UInt8(ascii: "{") else {
            let objects = try Manifest.parse(CStrings.text(text, "body_json"))
            guard objects.count == 1, let only = objects.first else {
                throw CABIError.invalidArgument("the body must hold exactly one object, found \(objects.count)")
            }
            object = only
            bytes = only.object.serializedBytes()
            return
        }
        bytes = text
        let json: JSON
        do {
            json = try bytes.withUnsafeBytes { (raw) throws(JSONError) -> JSON in try JSON.parse(raw) }
        } catch {
            throw CABIError.invalidArgument("body_json is not valid JSON: \(error)")
        }
        do {
            object = try Unstructured(json: json)
        } catch {
            throw CABIError.invalidArgument("body_json is not a Kubernetes object: \(error)")
        }
    }

    /// Manifest text (YAML or JSON) holding exactly one object, for server-side apply.
    init(manifest pointer: UnsafePointer<CChar>?) throws {
        guard let pointer else { throw CABIError.invalidArgument("body is NULL") }
        bytes = CStrings.bytes(pointer)
        let objects = try Manifest.parse(CStrings.text(bytes, "body"))
        guard objects.count == 1, let only = objects.first else {
            throw CABIError.invalidArgument("body must hold exactly one object, found \(objects.count)")
        }
        object = only
    }

    /// metadata.name, required.
    func name() throws(CABIError) -> String {
        guard let name = object.name, !name.isEmpty else {
            throw .invalidArgument("the object has no metadata.name")
        }
        return name
    }
}
