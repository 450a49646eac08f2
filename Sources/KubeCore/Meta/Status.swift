/// A metav1.Status: the body of every failed API request, and the error value that
/// carries it. The test server builds these; the client decodes them.
public struct Status: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status code.
    public var code: Int
    public var reason: StatusReason
    public var message: String
    public var details: StatusDetails?

    public init(code: Int, reason: StatusReason, message: String, details: StatusDetails? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
    }

    public var description: String {
        message.isEmpty ? "\(code) \(reason.rawValue)" : message
    }

    /// Decodes a Status object; nil when `json` is not one (wrong kind or no code).
    public init?(json: JSON) {
        guard json["kind"]?.stringValue == "Status" else { return nil }
        code = Int(json["code"]?.intValue ?? 0)
        reason = StatusReason(json["reason"]?.stringValue ?? "")
        message = json["message"]?.stringValue ?? ""
        if let d = json["details"], case .object = d {
            details = StatusDetails(json: d)
        }
    }

    /// The wire form, field for field as kube-apiserver writes it.
    public func json() -> JSON {
        var o: [String: JSON] = [
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": .object([:]),
            "status": code >= 200 && code < 300 ? "Success" : "Failure",
            "message": .string(message),
            "code": .int(Int64(code)),
        ]
        if !reason.rawValue.isEmpty { o["reason"] = .string(reason.rawValue) }
        if let details { o["details"] = details.json() }
        return .object(o)
    }
}

/// Extra data about the object a Status is about.
public struct StatusDetails: Sendable, Hashable {
    public var name: String?
    public var group: String?
    /// For NotFound/AlreadyExists/Conflict kube-apiserver puts the resource (plural) here;
    /// for Invalid it is the kind.
    public var kind: String?
    public var uid: String?
    public var causes: [StatusCause]
    public var retryAfterSeconds: Int?

    public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
                causes: [StatusCause] = [], retryAfterSeconds: Int? = nil) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    init(json: JSON) {
        name = json["name"]?.stringValue
        group = json["group"]?.stringValue
        kind = json["kind"]?.stringValue
        uid = json["uid"]?.stringValue
        causes = (json["causes"]?.arrayValue ?? []).map(StatusCause.init(json:))
        retryAfterSeconds = json["retryAfterSeconds"]?.intValue.map { Int($0) }
    }

    func json() -> JSON {
        var o: [String: JSON] = [:]
        if let name, !name.isEmpty { o["name"] = .string(name) }
        if let group, !group.isEmpty { o["group"] = .string(group) }
        if let kind, !kind.isEmpty { o["kind"] = .string(kind) }
        if let uid, !uid.isEmpty { o["uid"] = .string(uid) }
        if !causes.isEmpty { o["causes"] = .array(causes.map { $0.json() }) }
        if let retryAfterSeconds { o["retryAfterSeconds"] = .int(Int64(retryAfterSeconds)) }
        return .object(o)
    }
}

/// One reason an object was rejected: which field, and why.
public struct StatusCause: Sendable, Hashable {
    /// The cause's `reason`, e.g. `FieldValueRequired`, `FieldValueInvalid`.
    public var type: String
    public var message: String
    public var field: String

    public init(type: String, message: String, field: String) {
        self.type = type
        self.message = message
        self.field = field
    }

    init(json: JSON) {
        type = json["reason"]?.stringValue ?? ""
        message = json["message"]?.stringValue ?? ""
        field = json["field"]?.stringValue ?? ""
    }

    func json() -> JSON {
        var o: [String: JSON] = ["message": .string(message)]
        if !type.isEmpty { o["reason"] = .string(type) }
        if !field.isEmpty { o["field"] = .string(field) }
        return .object(o)
    }
}
