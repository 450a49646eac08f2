import Foundation
import KubeCore

/// The pod subresources that are simulated: `log` (lines tests append, see `PodLogs`) and
/// `eviction` (a delete after kube-apiserver's PodDisruptionBudget check).
extension APIHandler {
    /// GET pods/NAME/log: the container's lines as text/plain, or a chunked stream with `follow`.
    ///
    /// `previous=true` reads what tests wrote with `appendLog(previous: true)` (the terminated
    /// predecessor's log); without any, the kubelet's 400. Options are validated first, as
    /// kube-apiserver's `ValidatePodLogOptions` does (422 before the pod is looked up).
    func podLog(_ request: ServerRequest, resource: ResourceInfo, namespace: String, name: String) throws(Status) -> ServerResponse {
        var options = PodLogs.ReadOptions()
        options.timestamps = request.flag("timestamps")
        options.tailLines = try Self.intQuery(request, "tailLines")
        options.limitBytes = try Self.intQuery(request, "limitBytes")
        let sinceSeconds = try Self.intQuery(request, "sinceSeconds")
        var sinceTime: Date?
        if let text = request.query["sinceTime"], !text.isEmpty {
            guard let time = RFC3339.parse(text) else { throw Status.badRequest("invalid sinceTime \"\(text)\"") }
            sinceTime = time
        }
        try Self.validateLogOptions(options, sinceSeconds: sinceSeconds, sinceTime: sinceTime, name: name)
        options.since = sinceTime ?? sinceSeconds.map { Date().addingTimeInterval(-Double($0)) }

        let pod = try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.get(resource, namespace: namespace, name: name)
        }
        let container = try PodContainers.resolve(request.query["container"], in: pod)
        var key = PodLogs.Key(podUID: pod.uid, container: container)
        if request.flag("previous") {
            key.previous = true
            guard cluster.podLogs.exists(key) else {
                throw Status.badRequest("previous terminated container \"\(container)\" in pod \"\(name)\" not found")
            }
            // A terminated container's log is complete: following it ends at its end.
            return .bytes(200, cluster.podLogs.read(key, options: options), contentType: "text/plain")
        }
        if request.flag("follow") {
            return .followLog(LogFollowPlan(resource: resource, namespace: namespace, name: name, key: key, options: options))
        }
        return .bytes(200, cluster.podLogs.read(key, options: options), contentType: "text/plain")
    }

    /// POST /_testserver/logs: appends log lines for tests that cannot call `appendLog`.
    func appendLogs(_ request: ServerRequest) -> ServerResponse {
        let body: JSON
        do { body = try JSON.parse(bytes: request.body) } catch {
            return .status(.badRequest("logs body is not JSON: \(error.description)"))
        }
        guard let pod = body["pod"]?.stringValue else { return .status(.badRequest("logs needs pod")) }
        var lines = (body["lines"]?.arrayValue ?? []).compactMap(\.stringValue)
        if let line = body["line"]?.stringValue { lines.append(line) }
        do throws(Status) {
            for line in lines {
                try KubeTestServer.appendLog(cluster: cluster, namespace: body["namespace"]?.stringValue ?? "default", pod: pod,
                                             container: body["container"]?.stringValue, line: line,
                                             previous: body["previous"]?.boolValue ?? false)
            }
        } catch {
            return .status(error)
        }
        return .json(200, ["status": "ok"])
    }

    /// kube-apiserver's `ValidatePodLogOptions`, with its messages.
    private static func validateLogOptions(_ options: PodLogs.ReadOptions, sinceSeconds: Int?, sinceTime: Date?,
                                           name: String) throws(Status) {
        var causes: [StatusCause] = []
        if let tail = options.tailLines, tail < 0 {
            causes.append(StatusCause(type: "FieldValueInvalid", message: "Invalid value: \(tail): must be greater than or equal to 0", field: "tailLines"))
        }
        if let limit = options.limitBytes, limit < 1 {
            causes.append(StatusCause(type: "FieldValueInvalid", message: "Invalid value: \(limit): must be greater than 0", field: "limitBytes"))
        }
        if let seconds = sinceSeconds {
            if sinceTime != nil {
                causes.append(StatusCause(type: "FieldValueForbidden", message: "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified",
                                          field: "sinceSeconds"))
            } else if seconds < 1 {
                causes.append(StatusCause(type: "FieldValueInvalid", message: "Invalid value: \(seconds): must be greater than 0", field: "sinceSeconds"))
            }
        }
        if !causes.isEmpty { throw Status.invalid(group: "", kind: "PodLogOptions", name: name, causes: causes) }
    }

    private static func intQuery(_ request: ServerRequest, _ name: String) throws(Status) -> Int? {
        guard let text = request.query[name], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw Status.badRequest("invalid \(name) \"\(text)\"") }
        return value
    }

    /// POST pods/NAME/eviction: checks PodDisruptionBudgets, deletes the pod with the Eviction's
    /// deleteOptions and answers kube-apiserver's 201 Success Status.
    func evict(_ request: ServerRequest, user: RequestUser, resource: ResourceInfo, namespace: String,
               name: String) throws(Status) -> ServerResponse {
        guard request.method == "POST" else { throw Status.methodNotAllowed() }
        if user.readOnly {
            throw Status.forbidden(group: "", resource: "pods/eviction", name: name, verb: "create", user: user.name, namespace: namespace)
        }
        let body = try parseBody(request)
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw Status.badRequest("name in URL does not match name in Eviction object")
        }
        if let bodyNamespace = body[path: ["metadata", "namespace"]]?.stringValue, !bodyNamespace.isEmpty, bodyNamespace != namespace {
            throw Status.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let options = DeleteRequest(body: body["deleteOptions"], query: request.query)
        try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.evict(resource, namespace: namespace, name: name, request: options)
        }
        return .json(201, ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "code": 201])
    }
}

/// Container names of a pod, and kube-apiserver's rules for picking the one a log is read from.
enum PodContainers {
    /// Init, regular and ephemeral containers, in the order kube-apiserver lists them.
    static func names(_ pod: StoredObject) -> (all: [String], regular: [String], initContainers: [String]) {
        func names(_ field: String) -> [String] {
            (pod.json[path: ["spec", field]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        }
        let regular = names("containers"), initContainers = names("initContainers")
        return (initContainers + regular + names("ephemeralContainers"), regular, initContainers)
    }

    /// The named container, or the only regular one; 400 otherwise.
    static func resolve(_ requested: String?, in pod: StoredObject) throws(Status) -> String {
        let (all, regular, initContainers) = names(pod)
        if let requested, !requested.isEmpty {
            guard all.contains(requested) else {
                throw Status.badRequest("container \(requested) is not valid for pod \(pod.name)")
            }
            return requested
        }
        switch regular.count {
        case 1:
            return regular[0]
        case 0:
            throw Status.badRequest("a container name must be specified for pod \(pod.name)")
        default:
            var message = "a container name must be specified for pod \(pod.name), choose one of: [\(regular.joined(separator: " "))]"
            if !initContainers.isEmpty { message += " or one of the init containers: [\(initContainers.joined(separator: " "))]" }
            throw Status.badRequest(message)
        }
    }
}
