import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("pods/exec over the WebSocket channel protocol")
struct ExecWebSocketTests {
    func connect(_ server: KubeTestServer, _ path: String, protocols: [String] = channelProtocols) async throws -> ExecWebSocketClient {
        try await ExecWebSocketClient.connect(port: server.port, path: path, token: server.adminToken, protocols: protocols)
    }

    @Test("echo over v5: the connection message, stdout, Success and a normal close")
    func echoV5() async throws {
        try await withExecServer { server in
            // Server preference decides: v5 even when the client lists v4 first.
            let client = try await connect(server, streamPath("p", command: ["echo", "hello", "world"]),
                                           protocols: ["v4.channel.k8s.io", "v5.channel.k8s.io"])
            #expect(client.negotiated == "v5.channel.k8s.io")
            let t = await client.finish()
            #expect(t.messages.first.map { $0.channel == 1 && $0.payload.isEmpty } == true)
            #expect(t.stdout == "hello world\n")
            #expect(t.stderr == "")
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
            #expect(t.closeCode == 1000)
            #expect(t.ended)
        }
    }

    @Test("v4: stdout, stderr and a non-zero exit code in the kubelet's status")
    func exitCodeV4() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["sh", "-c", "echo out; echo err >&2; exit 3"]),
                                           protocols: ["v4.channel.k8s.io"])
            #expect(client.negotiated == "v4.channel.k8s.io")
            let t = await client.finish()
            #expect(t.stdout == "out\n")
            #expect(t.stderr == "err\n")
            #expect(t.status == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c echo out; echo err >&2; exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}"#)
        }
    }

    @Test("v5 non-zero exit: the translator's message and the code in details.causes")
    func exitCodeV5() async throws {
        try await withExecServer { server in
            let t = try await connect(server, streamPath("p", command: ["sh", "-c", "exit 300"])).finish()
            let status = try #require(t.statusJSON)
            #expect(status["status"] == "Failure")
            #expect(status["reason"] == "NonZeroExitCode")
            #expect(status["message"] == "command terminated with non-zero exit code: command terminated with exit code 44")
            #expect(status[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "44")
            #expect(status[path: ["details", "causes"]]?.arrayValue?.first?["reason"] == "ExitCode")
        }
    }

    @Test("v5 cat: stdin comes back on stdout until the client closes stdin")
    func catUntilClose() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["cat"], stdin: true))
            try await client.send(channel: 0, "first ")
            #expect(await client.wait { $0.stdout == "first " })
            try await client.send(channel: 0, "second")
            try await client.closeStdin()
            let t = await client.finish()
            #expect(t.stdout == "first second")
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("cat returns random stdin byte for byte, whatever the message and fragment sizes", arguments: [1, 2, 3])
    func randomStdin(seed: UInt64) async throws {
        var rng = SplitMix64(seed: seed)
        let payload = (0..<(1 << 20)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["cat"], stdin: true))
            var offset = 0
            while offset < payload.count {
                let size = min(payload.count - offset, Int(rng.next() % 70_000) + 1)
                let message = [UInt8(0)] + payload[offset..<offset + size]
                if rng.next() % 3 == 0 {
                    // The same message as two fragments, with a ping between them.
                    let cut = Int(rng.next() % UInt64(message.count)) + 1
                    try await client.sendFrame(.binary, Array(message[..<cut]), fin: false)
                    try await client.sendFrame(.ping, [7])
                    try await client.sendFrame(.continuation, Array(message[cut...]), fin: true)
                } else {
                    try await client.sendFrame(.binary, message)
                }
                offset += size
            }
            try await client.closeStdin()
            let t = await client.finish(timeout: 60)
            let echoed = t.messages.filter { $0.channel == 1 }.flatMap(\.payload)
            #expect(echoed.count == payload.count)
            #expect(echoed == payload)
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("a fragmented stdin message is reassembled; pings are answered with the same payload")
    func fragmentsAndPing() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["cat"], stdin: true))
            try await client.sendFrame(.binary, [0, 0x61], fin: false)
            try await client.sendFrame(.continuation, [0x62], fin: true)
            try await client.sendFrame(.ping, [1, 2, 3])
            #expect(await client.wait { $0.stdout == "ab" && $0.pongs == [[1, 2, 3]] })
            try await client.closeStdin()
            #expect(await client.finish().status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("tty: stderr is merged into stdout and stty size reports the last resize")
    func ttyResize() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["sh", "-c", "stty size; echo e >&2"], stdin: true, tty: true))
            try await client.resize(width: 120, height: 40)
            let t = await client.finish()
            #expect(t.stdout == "40 120\r\ne\r\n")  // the terminal's ONLCR
            #expect(!t.messages.contains { $0.channel == 2 })
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)

            let sizes = try await connect(server, streamPath("p", command: ["kc-sizes"], stdin: true, tty: true))
            try await sizes.resize(width: 80, height: 24)
            try await sizes.resize(width: 100, height: 30)
            #expect(await sizes.wait { $0.stdout == "24 80\r\n30 100\r\n" })
            try await sizes.closeStdin()
            #expect(await sizes.finish().status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("an unknown command is an InternalError status; under sh it is 127")
    func unknownCommand() async throws {
        try await withExecServer { server in
            let t = try await connect(server, streamPath("p", command: ["nope"])).finish()
            let status = try #require(t.statusJSON)
            #expect(status["reason"] == "InternalError")
            #expect(status["code"]?.intValue == 500)
            #expect(status["message"]?.stringValue?.contains(#"exec: "nope": executable file not found in $PATH"#) == true)

            let shell = try await connect(server, streamPath("p", command: ["sh", "-c", "nope"])).finish()
            #expect(shell.stderr == "sh: nope: not found\n")
            #expect(shell.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "127")
        }
    }

    @Test("large output arrives complete in messages of at most 32 KiB")
    func bulkOutput() async throws {
        try await withExecServer { server in
            let t = try await connect(server, streamPath("p", command: ["kc-bulk", "1000000"])).finish(timeout: 60)
            let stdout = t.messages.filter { $0.channel == 1 }
            #expect(stdout.reduce(0) { $0 + $1.payload.count } == 1_000_000)
            #expect(stdout.allSatisfy { $0.payload.count <= 32 * 1024 })
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("a client that closes first gets its close echoed; the server keeps serving")
    func clientCloses() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["sleep", "1000"]))
            #expect(await client.wait { !$0.messages.isEmpty })
            try await client.close(code: 1000)
            let t = await client.finish()
            #expect(t.closeCode == 1000)
            #expect(t.status == "")
            let again = try await connect(server, streamPath("p", command: ["true"])).finish()
            #expect(again.status == #"{"metadata":{},"status":"Success"}"#)
        }
    }

    @Test("stopping the server ends a running command and its connection")
    func serverStop() async throws {
        var options = KubeTestServerOptions()
        options.useTLS = false
        let server = try await KubeTestServer.start(options)
        try server.seed(json: execPod("p", containers: ["main"]))
        let client = try await connect(server, streamPath("p", command: ["sleep", "1000"]))
        #expect(await client.wait { !$0.messages.isEmpty })
        await server.stop()
        let t = await client.finish()
        #expect(t.ended)
        #expect(t.status == "")
    }

    @Test("deleting the pod kills a running command: exit 137")
    func podDeletionKills() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["sleep", "1000"]))
            #expect(await client.wait { !$0.messages.isEmpty })
            let deleted = try TestHTTPClient(port: server.port, token: server.adminToken).delete("/api/v1/namespaces/default/pods/p")
            #expect(deleted.status == 200)
            let t = await client.finish()
            #expect(t.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "137")
        }
    }

    @Test("a registered exec handler sees argv, stdin and its container, and sets the exit code")
    func registeredHandler() async throws {
        try await withExecServer(pods: [("two", ["a", "b"])]) { server in
            server.registerExecHandler(command: "upper") { call in
                try await call.stderr.write("\(call.pod)/\(call.container) \(call.command.dropFirst().joined(separator: ","))\n")
                for await chunk in call.stdin { try await call.stdout.write(String(decoding: chunk, as: UTF8.self).uppercased()) }
                return 7
            }
            let client = try await connect(server, streamPath("two", command: ["upper", "x", "y"], container: "b", stdin: true))
            try await client.send(channel: 0, "shout")
            try await client.closeStdin()
            let t = await client.finish()
            #expect(t.stdout == "SHOUT")
            #expect(t.stderr == "two/b x,y\n")
            #expect(t.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "7")

            // A catch-all handler sees everything the named ones do not.
            server.registerExecHandler { call in
                try await call.stdout.write("caught \(call.command[0])\n")
                return 0
            }
            #expect(try await connect(server, streamPath("two", command: ["echo", "x"], container: "a")).finish().stdout == "caught echo\n")
            server.removeStreamHandlers()
            #expect(try await connect(server, streamPath("two", command: ["echo", "x"], container: "a")).finish().stdout == "x\n")
        }
    }

    @Test("the built-in shell: quoting, variables, && and ||, redirections, env and hostname")
    func shell() async throws {
        try await withExecServer { server in
            let script = #"echo 'a  b' "$HOSTNAME"; false && echo no || echo yes; echo hidden >/dev/null; echo err 1>&2 2>/dev/null; hostname"#
            let t = try await connect(server, streamPath("p", command: ["/bin/sh", "-c", script])).finish()
            #expect(t.stdout == "a  b p\nyes\np\n")
            // Redirections apply left to right: stdout went to the stderr of the time.
            #expect(t.stderr == "err\n")
            #expect(t.status == #"{"metadata":{},"status":"Success"}"#)

            let env = try await connect(server, streamPath("p", command: ["env"])).finish()
            #expect(env.stdout.contains("HOSTNAME=p\n"))
            #expect(env.stdout.contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"))

            let stdinScript = try await connect(server, streamPath("p", command: ["sh"], stdin: true))
            try await stdinScript.send(channel: 0, "echo one\nexit 5\necho never\n")
            let s = await stdinScript.finish()
            #expect(s.stdout == "one\n")
            #expect(s.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "5")
        }
    }

    @Test("sh with a TTY is interactive: prompt, echo, Enter as CR, backspace and exit")
    func interactiveShell() async throws {
        try await withExecServer { server in
            let client = try await connect(server, streamPath("p", command: ["sh"], stdin: true, tty: true))
            #expect(await client.wait { $0.stdout == "$ " })
            try await client.send(channel: 0, "echo hx")
            try await client.send(channel: 0, [127] + Array("i\r".utf8))
            #expect(await client.wait { $0.stdout == "$ echo hx\u{8} \u{8}i\r\nhi\r\n$ " })
            try await client.send(channel: 0, "exit 4\r")
            let t = await client.finish()
            #expect(t.statusJSON?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "4")
        }
    }
}

/// A seeded generator, so a failing case can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
