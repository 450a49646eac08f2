import KubeCore

/// Create-only "review" resources are answered, not stored, as kube-apiserver does:
/// access reviews (`kubectl auth can-i`), rules reviews, self-subject reviews
/// (`kubectl auth whoami`) and token reviews, judged by this server's two roles.
extension APIHandler {
    static let reviewResources: Set<String> = [
        "selfsubjectaccessreviews.authorization.k8s.io", "subjectaccessreviews.authorization.k8s.io",
        "localsubjectaccessreviews.authorization.k8s.io", "selfsubjectrulesreviews.authorization.k8s.io",
        "selfsubjectreviews.authentication.k8s.io", "tokenreviews.authentication.k8s.io",
    ]

    func review(_ resource: ResourceInfo, body: JSON, user: RequestUser) -> ServerResponse {
        var object = body
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        if object["metadata"] == nil { object["metadata"] = ["creationTimestamp": nil] }
        let readOnlyVerbs: Set<String> = ["get", "list", "watch"]
        switch resource.name {
        case "selfsubjectaccessreviews", "subjectaccessreviews", "localsubjectaccessreviews":
            let verb = object[path: ["spec", "resourceAttributes", "verb"]]?.stringValue
                ?? object[path: ["spec", "nonResourceAttributes", "verb"]]?.stringValue ?? ""
            var subjectReadOnly = user.readOnly
            if resource.name != "selfsubjectaccessreviews" {
                subjectReadOnly = object[path: ["spec", "user"]]?.stringValue == "read-only"
            }
            let allowed = !subjectReadOnly || readOnlyVerbs.contains(verb)
            object["status"] = allowed ? ["allowed": true, "reason": "allowed by kubeclient-testserver"] : ["allowed": false]
        case "selfsubjectrulesreviews":
            let verbs: JSON = user.readOnly ? ["get", "list", "watch"] : ["*"]
            object["status"] = [
                "resourceRules": [["verbs": verbs, "apiGroups": ["*"], "resources": ["*"]]],
                "nonResourceRules": [["verbs": verbs, "nonResourceURLs": ["*"]]],
                "incomplete": false,
            ]
        case "selfsubjectreviews":
            object["status"] = ["userInfo": ["username": .string(user.name), "groups": .array(user.groups.map { .string($0) })]]
        case "tokenreviews":
            let token = object[path: ["spec", "token"]]?.stringValue ?? ""
            if token == adminToken || token == readOnlyToken {
                let name = token == adminToken ? "admin" : "read-only"
                object["status"] = ["authenticated": true, "user": ["username": .string(name)]]
            } else {
                object["status"] = ["authenticated": false]
            }
        default:
            return .status(.methodNotAllowed())
        }
        return .json(201, object)
    }
}
