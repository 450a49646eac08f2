import Foundation
import KubeCore

/// Turns HTTP requests into cluster operations: authentication, authorization, fault
/// injection, discovery and the resource verbs. Independent of NIO so it can be driven directly.
struct APIHandler: Sendable {
    let cluster: Cluster
    let faults: FaultInjector
    let adminToken: String
    let readOnlyToken: String
    /// Plain-HTTP mode: clients send no credentials over HTTP (client-go applies them only
    /// over TLS), so a request without any is served as the admin, as kube-apiserver's old
    /// insecure port did. A token that is sent is still checked.
    var anonymousIsAdmin = false
    /// host:port as clients reach the server (for /api's serverAddressByClientCIDRs), known after bind.
    let serverAddressProvider: AddressBox

    var serverAddress: String { serverAddressProvider.value }

    var registry: ResourceRegistry { cluster.registry }

    func authenticate(_ request: ServerRequest) -> RequestUser? {
        if let auth = request.headers["authorization"] {
            let parts = auth.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            let token = parts[1].trimmingCharacters(in: .whitespaces)
            if token == adminToken { return RequestUser(name: "admin", groups: ["system:masters", "system:authenticated"], readOnly: false) }
            if token == readOnlyToken { return RequestUser(name: "read-only", groups: ["system:authenticated"], readOnly: true) }
            return nil
        }
        if let cn = request.clientCertificateUser {
            return RequestUser(name: cn, groups: ["system:masters", "system:authenticated"], readOnly: false)
        }
        if anonymousIsAdmin {
            return RequestUser(name: "admin", groups: ["system:masters", "system:authenticated"], readOnly: false)
        }
        return nil
    }

    func handleJSON(_ request: ServerRequest) -> ServerResponse {
        let path = request.path
        if path == "/healthz" || path == "/livez" || path == "/readyz" {
            return .bytes(200, Array("ok".utf8), contentType: "text/plain; charset=utf-8")
        }
        guard let user = authenticate(request) else { return .status(.unauthorized()) }
        if path.hasPrefix("/_testserver/") {
            return handleControl(request, user: user)
        }
        if let rule = faults.takeFailure(method: request.method, path: path) {
            if let body = rule.body { return .bytes(rule.status, Array(body.utf8), contentType: "text/html; charset=utf-8") }
            return .status(rule.responseStatus)
        }
        do {
            return try route(request, user: user)
        } catch {
            return .status(error)
        }
    }

    func notFoundPath() -> Status {
        Status(code: 404, reason: .notFound, message: "the server could not find the requested resource", details: StatusDetails())
    }

    func route(_ request: ServerRequest, user: RequestUser) throws(Status) -> ServerResponse {
        let segments = request.segments
        let tables = registry.tables
        let aggregated = DiscoveryDocuments.wantsAggregated(request.headers["accept"])
        func discovery(_ json: JSON) -> ServerResponse {
            guard request.method == "GET" else { return .status(.methodNotAllowed()) }
            return .json(200, json)
        }
        func aggregatedResponse(legacy: Bool) -> ServerResponse {
            .complete(status: 200,
                      headers: [("Content-Type", DiscoveryDocuments.aggregatedContentType), ("Vary", "Accept")],
                      body: DiscoveryDocuments.aggregated(legacy: legacy, tables: tables).serializedBytes())
        }
        switch segments.count {
        case 0:
            let paths: [JSON] = ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"]
            return discovery(["paths": .array(paths)])
        case 1 where segments[0] == "version":
            return discovery(DiscoveryDocuments.version())
        case 1 where segments[0] == "api":
            if aggregated && request.method == "GET" { return aggregatedResponse(legacy: true) }
            return discovery(DiscoveryDocuments.apiVersions(serverAddress: serverAddress))
        case 1 where segments[0] == "apis":
            if aggregated && request.method == "GET" { return aggregatedResponse(legacy: false) }
            return discovery(DiscoveryDocuments.groupList(tables: tables))
        case 2 where segments[0] == "api":
            guard let list = DiscoveryDocuments.resourceList(group: "", version: segments[1], tables: tables) else { throw notFoundPath() }
            return discovery(list)
        case 2 where segments[0] == "apis":
            guard let group = DiscoveryDocuments.group(segments[1], tables: tables) else { throw notFoundPath() }
            return discovery(group)
        case 3 where segments[0] == "apis":
            guard let list = DiscoveryDocuments.resourceList(group: segments[1], version: segments[2], tables: tables) else { throw notFoundPath() }
            return discovery(list)
        default:
            break
        }
        if segments[0] == "openapi" {
            if segments.count >= 2 && segments[1] == "v3" {
                if segments.count == 2 { return discovery(OpenAPIDocuments.root(tables: tables)) }
                let isCore = segments.count == 4 && segments[2] == "api"
                let isGroup = segments.count == 5 && segments[2] == "apis"
                if isCore || isGroup,
                   let doc = OpenAPIDocuments.groupVersion(group: isCore ? "" : segments[3], version: segments[segments.count - 1], tables: tables) {
                    return discovery(doc)
                }
            }
            throw notFoundPath()
        }
        let rest: ArraySlice<String>
        let group: String, version: String
        if segments[0] == "api", segments.count >= 3 {
            group = ""; version = segments[1]; rest = segments[2...]
        } else if segments[0] == "apis", segments.count >= 4 {
            group = segments[1]; version = segments[2]; rest = segments[3...]
        } else {
            throw notFoundPath()
        }
        return try resourceRequest(request, user: user, group: group, version: version, rest: Array(rest), tables: tables)
    }
}
