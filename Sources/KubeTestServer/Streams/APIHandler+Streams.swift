import Foundation
import KubeCore

/// Admission of exec, attach and portforward upgrades: the same authentication, fault
/// injection and authorization as every request, then kube-apiserver's checks of the pod,
/// the container and the options, then subprotocol negotiation.
extension APIHandler {
    /// Port-forward WebSocket subprotocols, server preference first. The kubelet serves the
    /// channel protocol as `v4.channel.k8s.io` (what the official Python client and kube-rs
    /// send); `portforward.k8s.io` names the same framing.
    static let tunnelledSPDYProtocol = "SPDY/3.1+portforward.k8s.io"
    static let portForwardChannelProtocols = ["portforward.k8s.io", "v4.channel.k8s.io", "channel.k8s.io"]
    static let portForwardProtocol = "portforward.k8s.io"

    func streamDecision(_ request: ServerRequest, stream: StreamRequest, transport: UpgradeTransport) -> StreamDecision {
        guard let user = authenticate(request) else { return .refuse(.status(.unauthorized())) }
        if let rule = faults.takeFailure(method: request.method, path: request.path) {
            if let body = rule.body { return .refuse(.bytes(rule.status, Array(body.utf8), contentType: "text/html; charset=utf-8")) }
            return .refuse(.status(rule.responseStatus))
        }
        do {
            return try admit(request, stream: stream, transport: transport, user: user)
        } catch {
            return .refuse(.status(error))
        }
    }

    private func admit(_ request: ServerRequest, stream: StreamRequest, transport: UpgradeTransport,
                       user: RequestUser) throws(Status) -> StreamDecision {
        guard request.method == "GET" || request.method == "POST" else { throw Status.methodNotAllowed() }
        if user.readOnly {
            // kube-apiserver names the resource in the subject and the subresource in the reason.
            throw Status(code: 403, reason: .forbidden,
                         message: "pods \"\(stream.pod)\" is forbidden: User \"\(user.name)\" cannot create resource \"pods/\(stream.kind.rawValue)\" in API group \"\" in the namespace \"\(stream.namespace)\"",
                         details: StatusDetails(name: stream.pod, group: "", kind: "pods"))
        }
        guard let resource = registry.resource(apiVersion: "v1", kind: "Pod") else { throw notFoundPath() }
        let pod = try cluster.withState { (s: inout ClusterState) throws(Status) in
            try s.get(resource, namespace: stream.namespace, name: stream.pod)
        }
        switch stream.kind {
        case .exec, .attach:
            var plan = try remoteCommandPlan(stream, pod: pod)
            switch transport {
            case .webSocket(let offered):
                guard let proto = ChannelProtocol.negotiate(offered ?? []) else {
                    throw Self.unsupportedProtocols(offered ?? [], supported: ChannelProtocol.preference.map(\.rawValue))
                }
                plan.channelProtocol = proto
                return .accept(.remoteCommand(plan), protocol: proto.rawValue)
            case .spdy:
                throw Status.badRequest("\(stream.kind.rawValue) over SPDY is not served by kubeclient-testserver: use WebSocket (v5.channel.k8s.io or v4.channel.k8s.io)")
            case .none:
                throw Self.upgradeRequired
            }
        case .portforward:
            switch transport {
            case .webSocket(let offered):
                guard let offered else {
                    // No subprotocol: the kubelet's default channel protocol.
                    return .accept(.portForwardChannels(namespace: stream.namespace, pod: stream.pod, ports: try stream.ports()), protocol: nil)
                }
                if offered.contains(Self.tunnelledSPDYProtocol) {
                    return .accept(.portForwardTunnelledSPDY(namespace: stream.namespace, pod: stream.pod), protocol: Self.tunnelledSPDYProtocol)
                }
                guard let proto = Self.portForwardChannelProtocols.first(where: offered.contains) else {
                    throw Self.unsupportedProtocols(offered, supported: [Self.tunnelledSPDYProtocol] + Self.portForwardChannelProtocols)
                }
                return .accept(.portForwardChannels(namespace: stream.namespace, pod: stream.pod, ports: try stream.ports()), protocol: proto)
            case .spdy(let offered):
                // No version header is the legacy handshake: the kubelet proceeds without one.
                guard offered.isEmpty || offered.contains(Self.portForwardProtocol) else {
                    throw Status(code: 403, reason: .forbidden,
                                 message: "unable to upgrade: unable to negotiate protocol: client supports [\(offered.joined(separator: " "))], server supports [\(Self.portForwardProtocol)]")
                }
                return .accept(.portForwardRawSPDY(namespace: stream.namespace, pod: stream.pod),
                               protocol: offered.isEmpty ? nil : Self.portForwardProtocol)
            case .none:
                throw Self.upgradeRequired
            }
        }
    }

    private func remoteCommandPlan(_ stream: StreamRequest, pod: StoredObject) throws(Status) -> RemoteCommandPlan {
        let container = try PodContainers.resolve(stream.value("container"), in: pod)
        let stdin = try stream.flag("stdin"), stdout = try stream.flag("stdout"), tty = try stream.flag("tty")
        let stderr = try stream.flag("stderr")
        let command = stream.values("command")
        if stream.kind == .exec && command.isEmpty {
            throw Status.badRequest("you must specify at least one command for the container")
        }
        if !stdin && !stdout && !stderr {
            throw Status.badRequest("you must specify at least 1 of stdin, stdout, stderr")
        }
        return RemoteCommandPlan(kind: stream.kind, namespace: stream.namespace, pod: stream.pod, podUID: pod.uid,
                                 container: container, command: command, stdin: stdin, stdout: stdout,
                                 stderr: stderr && !tty, tty: tty, channelProtocol: .v5)
    }

    static var upgradeRequired: Status {
        Status.badRequest("Upgrade request required")
    }

    private static func unsupportedProtocols(_ offered: [String], supported: [String]) -> Status {
        Status.badRequest("requested protocol(s) are not supported: [\(offered.joined(separator: " "))]; supports [\(supported.joined(separator: " "))]")
    }
}

extension ServerRequest {
    /// The comma-separated values of a (possibly repeated) header; nil when absent.
    func listHeader(_ name: String) -> [String]? {
        headers[name].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}
