import KubeCore

/// The object an Event is about (core/v1 ObjectReference).
public struct ObjectReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String
    public var uid: String?
    public var resourceVersion: String?

    public init(apiVersion: String, kind: String, namespace: String?, name: String, uid: String? = nil,
                resourceVersion: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// The reference to an object read from the server; nil without apiVersion, kind or name.
    public init?(_ object: Unstructured) {
        guard let apiVersion = object.apiVersion, let kind = object.kind, let name = object.name else { return nil }
        self.init(apiVersion: apiVersion, kind: kind, namespace: object.namespace, name: name, uid: object.uid,
                  resourceVersion: object.resourceVersion)
    }

    var json: JSON {
        var ref: JSON = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name)]
        if let namespace, !namespace.isEmpty { ref["namespace"] = .string(namespace) }
        if let uid, !uid.isEmpty { ref["uid"] = .string(uid) }
        if let resourceVersion, !resourceVersion.isEmpty { ref["resourceVersion"] = .string(resourceVersion) }
        return ref
    }
}

/// core/v1 Event types.
public enum EventType: String, Sendable, Hashable {
    case normal = "Normal"
    case warning = "Warning"
}
