import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("Refused exec, attach and portforward upgrades answer with a Status")
struct ExecUpgradeRefusalTests {
    static func webSocket(_ protocols: String? = "v5.channel.k8s.io") -> [String: String] {
        var h = ["Upgrade": "websocket", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"]
        if let protocols { h["Sec-WebSocket-Protocol"] = protocols }
        return h
    }

    func upgrade(_ server: KubeTestServer, _ path: String, headers: [String: String] = webSocket(), token: String? = nil,
                 method: String = "GET") throws -> TestHTTPClient.Response {
        try TestHTTPClient(port: server.port, token: token ?? server.adminToken).request(method, path, headers: headers)
    }

    @Test("a missing pod is 404 NotFound")
    func missingPod() async throws {
        try await withExecServer { server in
            let r = try upgrade(server, streamPath("gone", command: ["true"]))
            #expect(r.status == 404)
            #expect(r.json?["reason"] == "NotFound")
            #expect(r.json?["message"] == #"pods "gone" not found"#)
        }
    }

    @Test("an unknown or ambiguous container is 400 with kube-apiserver's message")
    func badContainer() async throws {
        try await withExecServer(pods: [("two", ["a", "b"])]) { server in
            let unknown = try upgrade(server, streamPath("two", command: ["true"], container: "zzz"))
            #expect(unknown.status == 400)
            #expect(unknown.json?["message"] == "container zzz is not valid for pod two")
            let ambiguous = try upgrade(server, streamPath("two", "attach", stdin: true))
            #expect(ambiguous.status == 400)
            #expect(ambiguous.json?["message"] == "a container name must be specified for pod two, choose one of: [a b]")
        }
    }

    @Test("no supported subprotocol is 400 naming what is supported")
    func unsupportedProtocol() async throws {
        try await withExecServer { server in
            let r = try upgrade(server, streamPath("p", command: ["true"]), headers: Self.webSocket("v3.channel.k8s.io, channel.k8s.io"))
            #expect(r.status == 400)
            #expect(r.json?["kind"] == "Status")
            #expect(r.json?["message"] == "requested protocol(s) are not supported: [v3.channel.k8s.io channel.k8s.io]; supports [v5.channel.k8s.io v4.channel.k8s.io]")
            let none = try upgrade(server, streamPath("p", command: ["true"]), headers: Self.webSocket(nil))
            #expect(none.status == 400)
        }
    }

    @Test("missing options, a plain request and exec over raw SPDY are 400")
    func badRequests() async throws {
        try await withExecServer { server in
            #expect(try upgrade(server, streamPath("p")).json?["message"] == "you must specify at least one command for the container")
            #expect(try upgrade(server, streamPath("p", command: ["true"], stdout: false, stderr: false)).json?["message"]
                == "you must specify at least 1 of stdin, stdout, stderr")
            let plain = try TestHTTPClient(port: server.port, token: server.adminToken).get(streamPath("p", command: ["true"]))
            #expect(plain.status == 400)
            #expect(plain.json?["message"] == "Upgrade request required")
            let spdy = try upgrade(server, streamPath("p", command: ["true"]), headers: ["Upgrade": "SPDY/3.1", "X-Stream-Protocol-Version": "v4.channel.k8s.io"],
                                   method: "POST")
            #expect(spdy.status == 400)
            let noPorts = try upgrade(server, "/api/v1/namespaces/default/pods/p/portforward", headers: Self.webSocket("v4.channel.k8s.io"))
            #expect(noPorts.status == 400)
            #expect(noPorts.json?["message"] == #"query parameter "port" is required"#)
        }
    }

    @Test("authentication and authorization come first: 401, then 403 for the read-only user")
    func auth() async throws {
        try await withExecServer { server in
            let wrong = try TestHTTPClient(port: server.port, token: "wrong").request("GET", streamPath("p", command: ["true"]),
                                                                                       headers: Self.webSocket())
            #expect(wrong.status == 401)
            let readOnly = try upgrade(server, streamPath("p", command: ["true"]), token: server.readOnlyToken)
            #expect(readOnly.status == 403)
            #expect(readOnly.json?["message"] == #"pods "p" is forbidden: User "read-only" cannot create resource "pods/exec" in API group "" in the namespace "default""#)
        }
    }

    @Test("an injected fault answers the upgrade request")
    func fault() async throws {
        try await withExecServer { server in
            server.failNext(FailureRule(status: 503, pathContains: "/exec"))
            let failed = try upgrade(server, streamPath("p", command: ["true"]))
            #expect(failed.status == 503)
            let client = try await ExecWebSocketClient.connect(port: server.port, path: streamPath("p", command: ["true"]),
                                                               token: server.adminToken, protocols: channelProtocols)
            #expect(await client.finish().status == #"{"metadata":{},"status":"Success"}"#)
        }
    }
}
