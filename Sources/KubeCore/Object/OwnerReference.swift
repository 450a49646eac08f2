/// `metav1.OwnerReference`: the object that owns another (for garbage collection).
public struct OwnerReference: Sendable, Hashable {
    /// The owner's `apiVersion`.
    public var apiVersion: String
    /// The owner's kind.
    public var kind: String
    /// The owner's name.
    public var name: String
    /// The owner's uid.
    public var uid: String
    /// This owner is the managing controller.
    public var controller: Bool?
    /// Foreground deletion of the owner waits for this object.
    public var blockOwnerDeletion: Bool?

    /// An owner reference.
    public init(apiVersion: String, kind: String, name: String, uid: String,
                controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }

    /// Reads an owner reference; nil when a required field is missing or not a string.
    public init?(json: JSON) {
        guard let apiVersion = json["apiVersion"]?.stringValue, let kind = json["kind"]?.stringValue,
              let name = json["name"]?.stringValue, let uid = json["uid"]?.stringValue else { return nil }
        self.init(apiVersion: apiVersion, kind: kind, name: name, uid: uid,
                  controller: json["controller"]?.boolValue, blockOwnerDeletion: json["blockOwnerDeletion"]?.boolValue)
    }

    /// The JSON form.
    public func json() -> JSON {
        var members: [String: JSON] = [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
        ]
        if let controller { members["controller"] = .bool(controller) }
        if let blockOwnerDeletion { members["blockOwnerDeletion"] = .bool(blockOwnerDeletion) }
        return .object(members)
    }
}
