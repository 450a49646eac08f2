/// Status values with the codes, reasons, messages and details kube-apiserver uses,
/// so that the test server answers as the real one does.
extension Status {
    private static func qualified(_ group: String, _ resource: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    public static func notFound(group: String, resource: String, name: String) -> Status {
        Status(code: 404, reason: .notFound,
               message: "\(qualified(group, resource)) \"\(name)\" not found",
               details: StatusDetails(name: name, group: group, kind: resource))
    }

    public static func alreadyExists(group: String, resource: String, name: String) -> Status {
        Status(code: 409, reason: .alreadyExists,
               message: "\(qualified(group, resource)) \"\(name)\" already exists",
               details: StatusDetails(name: name, group: group, kind: resource))
    }

    public static func conflict(group: String, resource: String, name: String,
                                message: String = "the object has been modified; please apply your changes to the latest version and try again") -> Status {
        Status(code: 409, reason: .conflict,
               message: "Operation cannot be fulfilled on \(qualified(group, resource)) \"\(name)\": \(message)",
               details: StatusDetails(name: name, group: group, kind: resource))
    }

    public static func invalid(group: String, kind: String, name: String, causes: [StatusCause]) -> Status {
        let summary = causes.map { c in
            c.field.isEmpty ? c.message : "\(c.field): \(c.message)"
        }
        let joined = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return Status(code: 422, reason: .invalid,
                      message: "\(qualifiedKind) \"\(name)\" is invalid: \(joined)",
                      details: StatusDetails(name: name, group: group, kind: kind, causes: causes))
    }

    public static func badRequest(_ message: String) -> Status {
        Status(code: 400, reason: .badRequest, message: message)
    }

    public static func methodNotAllowed(_ message: String = "the server does not allow this method on the requested resource") -> Status {
        Status(code: 405, reason: .methodNotAllowed, message: message)
    }

    public static func gone(_ message: String) -> Status {
        Status(code: 410, reason: .gone, message: message)
    }

    /// What a watch or list from a compacted resourceVersion gets.
    public static func expired(_ message: String) -> Status {
        Status(code: 410, reason: .expired, message: message)
    }

    public static func unauthorized(_ message: String = "Unauthorized") -> Status {
        Status(code: 401, reason: .unauthorized, message: message)
    }

    public static func forbidden(group: String, resource: String, name: String?, verb: String, user: String, namespace: String?) -> Status {
        var message = "\(qualified(group, resource))"
        if let name, !name.isEmpty { message += " \"\(name)\"" }
        message += " is forbidden: User \"\(user)\" cannot \(verb) resource \"\(resource)\" in API group \"\(group)\""
        if let namespace, !namespace.isEmpty {
            message += " in the namespace \"\(namespace)\""
        } else {
            message += " at the cluster scope"
        }
        return Status(code: 403, reason: .forbidden, message: message,
                      details: StatusDetails(name: name, group: group, kind: resource))
    }

    public static func tooManyRequests(retryAfterSeconds: Int, message: String = "Too many requests, please try again later.") -> Status {
        Status(code: 429, reason: .tooManyRequests, message: message,
               details: StatusDetails(retryAfterSeconds: retryAfterSeconds))
    }

    public static func internalError(_ message: String) -> Status {
        Status(code: 500, reason: .internalError, message: "Internal error occurred: \(message)",
               details: StatusDetails(causes: [StatusCause(type: "", message: message, field: "")]))
    }

    public static func serviceUnavailable(_ message: String = "The server is currently unable to handle the request") -> Status {
        Status(code: 503, reason: .serviceUnavailable, message: message)
    }

    public static func notAcceptable(_ message: String) -> Status {
        Status(code: 406, reason: .notAcceptable, message: message)
    }

    public static func unsupportedMediaType(_ contentType: String) -> Status {
        Status(code: 415, reason: .unsupportedMediaType,
               message: "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json")
    }
}
