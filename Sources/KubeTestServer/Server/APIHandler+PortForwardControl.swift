import KubeCore

/// `POST /_testserver/portforward` `{"namespace":"default","pod":"web","port":8080,"host":"127.0.0.1","targetPort":9000}`:
/// makes `pods/portforward` to that pod port connect to `host:targetPort`, for tests in other
/// languages that cannot call `registerPortForward` (the C and Python tests start their own
/// TCP listener and register it). `namespace` defaults to "default", `host` to "127.0.0.1".
extension APIHandler {
    func registerPortForwardTarget(_ request: ServerRequest) -> ServerResponse {
        let body: JSON
        do { body = try JSON.parse(bytes: request.body) } catch {
            return .status(.badRequest("portforward body is not JSON: \(error.description)"))
        }
        guard let pod = body["pod"]?.stringValue, !pod.isEmpty else { return .status(.badRequest("portforward needs pod")) }
        guard let port = body["port"]?.intValue, (1...65535).contains(port) else {
            return .status(.badRequest("portforward needs port (1-65535)"))
        }
        guard let targetPort = body["targetPort"]?.intValue, (1...65535).contains(targetPort) else {
            return .status(.badRequest("portforward needs targetPort (1-65535)"))
        }
        cluster.portForwards.register(namespace: body["namespace"]?.stringValue ?? "default", pod: pod, port: Int(port),
                                      target: PortForwardRegistry.Target(host: body["host"]?.stringValue ?? "127.0.0.1",
                                                                         port: Int(targetPort)))
        return .json(200, ["status": "ok"])
    }
}
