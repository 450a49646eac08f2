/// The body of a DELETE request (`metav1.DeleteOptions`).
public struct DeleteOptions: Sendable, Hashable {
    /// Seconds before the object is deleted; 0 means immediately.
    public var gracePeriodSeconds: Int?
    /// What happens to dependents.
    public var propagationPolicy: PropagationPolicy?
    /// Delete only if the object still has this uid.
    public var preconditionUID: String?
    /// Delete only if the object still has this resourceVersion.
    public var preconditionResourceVersion: String?
    /// Validate without persisting (`dryRun: ["All"]`).
    public var dryRun: Bool

    /// Delete options; all unset by default.
    public init(gracePeriodSeconds: Int? = nil, propagationPolicy: PropagationPolicy? = nil,
                preconditionUID: String? = nil, preconditionResourceVersion: String? = nil, dryRun: Bool = false) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.propagationPolicy = propagationPolicy
        self.preconditionUID = preconditionUID
        self.preconditionResourceVersion = preconditionResourceVersion
        self.dryRun = dryRun
    }

    /// Reads a DeleteOptions body; unknown or mistyped fields are ignored.
    public init(json: JSON) {
        self.init()
        gracePeriodSeconds = json["gracePeriodSeconds"]?.intValue.map { Int($0) }
        propagationPolicy = json["propagationPolicy"]?.stringValue.flatMap(PropagationPolicy.init(rawValue:))
        if json["orphanDependents"]?.boolValue == true && propagationPolicy == nil { propagationPolicy = .orphan }
        preconditionUID = json["preconditions"]?["uid"]?.stringValue
        preconditionResourceVersion = json["preconditions"]?["resourceVersion"]?.stringValue
        dryRun = json["dryRun"]?.arrayValue?.contains(.string("All")) ?? false
    }

    /// The JSON body, with `kind: DeleteOptions, apiVersion: v1`.
    public func json() -> JSON {
        var members: [String: JSON] = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let gracePeriodSeconds { members["gracePeriodSeconds"] = .int(Int64(gracePeriodSeconds)) }
        if let propagationPolicy { members["propagationPolicy"] = .string(propagationPolicy.rawValue) }
        if preconditionUID != nil || preconditionResourceVersion != nil {
            var preconditions: [String: JSON] = [:]
            if let preconditionUID { preconditions["uid"] = .string(preconditionUID) }
            if let preconditionResourceVersion { preconditions["resourceVersion"] = .string(preconditionResourceVersion) }
            members["preconditions"] = .object(preconditions)
        }
        if dryRun { members["dryRun"] = ["All"] }
        return .object(members)
    }
}
