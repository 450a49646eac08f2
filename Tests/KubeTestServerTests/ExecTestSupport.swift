import Foundation
import KubeCore
import KubeTestServer

/// A plain-HTTP server with pods for the exec and attach suites; stopped afterwards.
func withExecServer(pods: [(name: String, containers: [String])] = [("p", ["main"])],
                    _ body: (KubeTestServer) async throws -> Void) async throws {
    var options = KubeTestServerOptions()
    options.useTLS = false
    let server = try await KubeTestServer.start(options)
    do {
        for pod in pods { try server.seed(json: execPod(pod.name, containers: pod.containers)) }
        try await body(server)
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}

func execPod(_ name: String, containers: [String], stdin: Bool = false) -> JSON {
    ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default"],
     "spec": ["containers": .array(containers.map { ["name": .string($0), "image": "busybox", "stdin": .bool(stdin)] })]]
}

/// `pods/NAME/exec` (or attach) with the query kubectl builds.
func streamPath(_ pod: String, _ subresource: String = "exec", command: [String] = [], container: String? = nil,
                stdin: Bool = false, stdout: Bool = true, stderr: Bool = true, tty: Bool = false) -> String {
    func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
    var query = command.map { "command=\(encode($0))" }
    if let container { query.append("container=\(encode(container))") }
    if stdin { query.append("stdin=true") }
    if stdout { query.append("stdout=true") }
    if stderr { query.append("stderr=true") }
    if tty { query.append("tty=true") }
    return "/api/v1/namespaces/default/pods/\(pod)/\(subresource)?" + query.joined(separator: "&")
}

let channelProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]
