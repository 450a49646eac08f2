import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("pods/attach: the container's main process over the channel protocol")
struct AttachTests {
    func attach(_ server: KubeTestServer, _ path: String) async throws -> ExecWebSocketClient {
        try await ExecWebSocketClient.connect(port: server.port, path: path, token: server.adminToken, protocols: channelProtocols)
    }

    @Test("the default process echoes stdin and shows appended log lines; closing stdin ends it with Success")
    func defaultProcess() async throws {
        try await withExecServer { server in
            try server.appendLog(pod: "p", line: "before attach")  // history is not replayed
            let client = try await attach(server, streamPath("p", "attach", stdin: true))
            try await client.send(channel: 0, "typed\n")
            #expect(await client.wait { $0.stdout == "typed\n" })
            try server.appendLog(pod: "p", line: "from the log")
            #expect(await client.wait { $0.stdout == "typed\nfrom the log\n" })
            try await client.closeStdin()
            let t = await client.finish()
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
            #expect(t.closeCode == 1000)
        }
    }

    @Test("without stdin the attach lasts until the pod is deleted")
    func untilPodDeleted() async throws {
        try await withExecServer(pods: [("two", ["a", "b"])]) { server in
            let client = try await attach(server, streamPath("two", "attach", container: "b"))
            #expect(await client.wait { !$0.messages.isEmpty })
            try server.appendLog(pod: "two", container: "a", line: "other container")
            try server.appendLog(pod: "two", container: "b", line: "mine")
            #expect(await client.wait { $0.stdout == "mine\n" })
            let deleted = try TestHTTPClient(port: server.port, token: server.adminToken).delete("/api/v1/namespaces/default/pods/two")
            #expect(deleted.status == 200)
            let t = await client.finish()
            #expect(t.stdout == "mine\n")
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("a registered attach process replaces the default one and reports its exit code")
    func registered() async throws {
        try await withExecServer(pods: [("p", ["main"]), ("q", ["main"])]) { server in
            server.registerAttachHandler(pod: "p") { call in
                #expect(call.command.isEmpty)
                try await call.stdout.write("main process of \(call.pod)/\(call.container), tty=\(call.tty)\n")
                return 2
            }
            let t = try await attach(server, streamPath("p", "attach", stdin: true, tty: true)).finish()
            #expect(t.stdout == "main process of p/main, tty=true\r\n")
            #expect(t.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "2")
            // Other pods keep the default process.
            let q = try await attach(server, streamPath("q", "attach", stdin: true))
            try await q.send(channel: 0, "echo")
            #expect(await q.wait { $0.stdout == "echo" })
            try await q.closeStdin()
            #expect(await q.finish().status == #"{"metadata":{},"status":"Success"}"#)
        }
    }
}
