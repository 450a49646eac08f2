import KubeCore

extension UnstructuredList {
    /// The list as the server would send it after following every continue token: apiVersion,
    /// kind, metadata.resourceVersion and every item (no continue token, no remaining count).
    public var json: JSON {
        var objects: [JSON] = []
        objects.reserveCapacity(items.count)
        for item in items { objects.append(item.object) }
        return [
            "apiVersion": .string(apiVersion), "kind": .string(kind),
            "metadata": ["resourceVersion": .string(resourceVersion)],
            "items": .array(objects),
        ]
    }
}

extension DynamicResource {
    /// Every page of the collection as one list, serialized: `options.limit` is the page size
    /// on the way (listAll's default when unset) and `options.continueToken` is ignored.
    public func listAllBytes(_ options: ListOptions) throws(KubeError) -> [UInt8] {
        if let pageSize = options.limit { return try listAll(options, pageSize: pageSize).json.serializedBytes() }
        return try listAll(options).json.serializedBytes()
    }
}
