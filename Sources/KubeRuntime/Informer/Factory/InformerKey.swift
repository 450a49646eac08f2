import KubeCore

/// What makes two informers the same: one informer per key is shared by everyone who asks.
public struct InformerKey: Sendable, Hashable, CustomStringConvertible {
    public var resource: GroupVersionResource
    /// nil or "" for all namespaces (or a cluster-scoped resource).
    public var namespace: String?
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Cache only apiVersion, kind and metadata.
    public var metadataOnly: Bool

    public init(resource: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil,
                fieldSelector: String? = nil, metadataOnly: Bool = false) {
        self.resource = resource
        self.namespace = namespace?.isEmpty == true ? nil : namespace
        self.labelSelector = labelSelector?.isEmpty == true ? nil : labelSelector
        self.fieldSelector = fieldSelector?.isEmpty == true ? nil : fieldSelector
        self.metadataOnly = metadataOnly
    }

    public var description: String {
        var text = resource.group.isEmpty ? resource.resource : "\(resource.resource).\(resource.group)"
        if let namespace { text += " in \(namespace)" }
        if let labelSelector { text += " [\(labelSelector)]" }
        if let fieldSelector { text += " {\(fieldSelector)}" }
        if metadataOnly { text += " (metadata)" }
        return text
    }
}
