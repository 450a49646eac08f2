import KubeClient

/// The pod a stream thunk addresses: client, namespace and name, checked once.
struct PodTarget {
    let handle: ClientHandle
    let namespace: String
    let pod: String

    init(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?) throws(CABIError) {
        handle = try ClientHandle.table.lookup(client)
        self.namespace = try CStrings.nonEmpty(namespace, "namespace_name")
        self.pod = try CStrings.nonEmpty(pod, "pod")
    }
}
