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

/// An object body the caller passed as a C string: JSON or YAML text (KubeClient's ObjectText).
enum ObjectBody {
    static func jsonOrYAML(_ pointer: UnsafePointer<CChar>?) throws -> ObjectText {
        guard let pointer else { throw CABIError.invalidArgument("body_json is NULL") }
        return try ObjectText(jsonOrYAML: CStrings.bytes(pointer), what: "body_json")
    }

    static func manifest(_ pointer: UnsafePointer<CChar>?) throws -> ObjectText {
        guard let pointer else { throw CABIError.invalidArgument("body is NULL") }
        return try ObjectText(manifest: CStrings.bytes(pointer), what: "body")
    }
}
