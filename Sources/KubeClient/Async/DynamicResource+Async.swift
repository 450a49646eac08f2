import KubeCore

/// Async forms of the everyday reads: the same requests, run off the cooperative pool, and
/// cancelled with their Task (the request ends at once, throwing a cancelled transport error).
extension DynamicResource {
    /// GET one object; see `get(_:subresource:resourceVersion:)`.
    public func get(_ name: String, subresource: String? = nil,
                    resourceVersion: String? = nil) async throws(KubeError) -> Unstructured {
        let resource = self
        return try await BlockingCall.run { (token) throws(KubeError) -> Unstructured in
            try Self.object(resource.getRaw(name, subresource: subresource, resourceVersion: resourceVersion,
                                            cancellation: token), what: "get \(name)")
        }
    }

    /// One LIST call; see `list(_:)`.
    public func list(_ options: ListOptions = ListOptions()) async throws(KubeError) -> UnstructuredList {
        let resource = self
        return try await BlockingCall.run { (token) throws(KubeError) -> UnstructuredList in
            try UnstructuredList(body: resource.listRaw(options, cancellation: token),
                                 what: "list \(resource.resource.groupResource)")
        }
    }
}
