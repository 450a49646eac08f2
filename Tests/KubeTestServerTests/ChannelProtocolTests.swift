import Synchronization
import KubeCore
import Testing
@testable import KubeTestServer

@Suite("Channel protocol frames, status bytes and stream requests")
struct ChannelProtocolTests {
    @Test("messages decode by their first byte; the CLOSE signal only under v5")
    func decode() {
        #expect(ChannelMessage.decode([0, 104, 105], protocol: .v5) == .data(channel: 0, payload: [104, 105]))
        #expect(ChannelMessage.decode([4], protocol: .v4) == .data(channel: 4, payload: []))
        #expect(ChannelMessage.decode([255, 0], protocol: .v5) == .close(channel: 0))
        #expect(ChannelMessage.decode([255, 0], protocol: .v4) == .data(channel: 255, payload: [0]))
        #expect(ChannelMessage.decode([255], protocol: .v5) == .ignored)
        #expect(ChannelMessage.decode([255, 0, 1], protocol: .v5) == .ignored)
        #expect(ChannelMessage.decode([UInt8](), protocol: .v5) == .ignored)
        #expect(ChannelMessage.encode(channel: 3, Array("{}".utf8)) == [3, 123, 125])
    }

    @Test("subprotocols are chosen by server preference")
    func negotiate() {
        #expect(ChannelProtocol.negotiate(["v4.channel.k8s.io", "v5.channel.k8s.io"]) == .v5)
        #expect(ChannelProtocol.negotiate(["v4.channel.k8s.io", "channel.k8s.io"]) == .v4)
        #expect(ChannelProtocol.negotiate(["v3.channel.k8s.io", "base64.channel.k8s.io"]) == nil)
        #expect(ChannelProtocol.negotiate([]) == nil)
    }

    @Test("status bytes match kube-apiserver field for field")
    func statusBytes() {
        #expect(String(decoding: ExecStatus.forExit(0, command: ["true"], protocol: .v5), as: UTF8.self)
            == #"{"metadata":{},"status":"Success"}"#)
        #expect(String(decoding: ExecStatus.forExit(2, command: ["ls", "x"], protocol: .v5), as: UTF8.self)
            == #"{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 2","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"2"}]}}"#)
        // Exit codes wrap like a shell's; 256 is success.
        #expect(ExecStatus.forExit(256, command: [], protocol: .v4) == ExecStatus.success())
        let internalError = String(decoding: ExecStatus.internalError("boom \"x\""), as: UTF8.self)
        #expect(internalError == #"{"metadata":{},"status":"Failure","message":"Internal error occurred: boom \"x\"","reason":"InternalError","details":{"causes":[{"message":"boom \"x\""}]},"code":500}"#)
        // Clients decode it as a Status.
        let json = try? JSON.parse(bytes: ExecStatus.forExit(9, command: ["sh"], protocol: .v4))
        #expect(json?[path: ["details", "causes"]]?.arrayValue?.first?["message"] == "9")
    }

    @Test("resize payloads decode case-insensitively; junk is ignored")
    func resize() {
        #expect(RemoteCommandSession.decodeResize(Array(#"{"Width":80,"Height":24}"#.utf8)) == TerminalSize(width: 80, height: 24))
        #expect(RemoteCommandSession.decodeResize(Array(#"{"width":1,"height":2}"#.utf8)) == TerminalSize(width: 1, height: 2))
        #expect(RemoteCommandSession.decodeResize(Array("nope".utf8)) == nil)
        #expect(RemoteCommandSession.decodeResize(Array(#"{"Width":-1,"Height":2}"#.utf8)) == nil)
        #expect(TerminalSize(width: 80, height: 24).description == "24 80")
    }

    @Test("stream requests: only core/v1 pod exec, attach and portforward; repeated query keys kept")
    func parse() throws {
        let r = try #require(StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/exec?command=sh&command=-c&command=echo%20hi&stdin=1&tty=T"))
        #expect(r.kind == .exec && r.namespace == "ns" && r.pod == "web")
        #expect(r.values("command") == ["sh", "-c", "echo hi"])
        #expect(try r.flag("stdin") && r.flag("tty") && !r.flag("stdout"))
        #expect(StreamRequest.parse(uri: "/api/v1/namespaces/a/pods/b/exec?stdin=maybe").map { (try? $0.flag("stdin")) == nil } == true)
        #expect(StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/log") == nil)
        #expect(StreamRequest.parse(uri: "/apis/v1/namespaces/ns/pods/web/exec") == nil)
        #expect(StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/attach")?.kind == .attach)
        let pf = try #require(StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/portforward?ports=80,443&ports=8080"))
        #expect(try pf.ports() == [80, 443, 8080])
        #expect(throws: Status.self) { try StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/portforward")?.ports() }
        #expect(throws: Status.self) { try StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/portforward?ports=0")?.ports() }
        #expect(throws: Status.self) { try StreamRequest.parse(uri: "/api/v1/namespaces/ns/pods/web/portforward?ports=x")?.ports() }
    }

    @Test("the mini shell tokenizes quotes, operators, variables and redirections")
    func tokenize() throws {
        typealias T = MiniShell.Token
        #expect(try MiniShell.tokenize(#"echo 'a b' "c $X" d\ e; exit 3"#, environment: ["X": "y"])
            == [T.word("echo"), .word("a b"), .word("c y"), .word("d e"), .op(";"), .word("exit"), .word("3")])
        #expect(try MiniShell.tokenize("a && b || c | d") == [T.word("a"), .op("&&"), .word("b"), .op("||"), .word("c"), .op("|"), .word("d")])
        #expect(try MiniShell.tokenize("echo x >&2 2>&1 >/dev/null 2> /dev/null")
            == [T.word("echo"), .word("x"), .redirect(.outToErr), .redirect(.errToOut), .redirect(.outToNull), .redirect(.errToNull)])
        #expect(throws: MiniShell.SyntaxError.self) { try MiniShell.tokenize("echo 'open") }
    }

    @Test("stdin is queued in order, ends once finished, and pauses reading above the high-water mark")
    func inputQueue() async {
        let resumed = ResumeCounter()
        let queue = InputQueue(onDrained: { resumed.add() })
        #expect(queue.push([1]))
        #expect(!queue.push([UInt8](repeating: 0, count: InputQueue.highWater)))
        #expect(await queue.next() == [1])
        #expect(await queue.next()?.count == InputQueue.highWater)
        #expect(resumed.count == 1)
        queue.finish()
        #expect(await queue.next() == nil)
        #expect(queue.push([2]))  // after the end: dropped
        #expect(await queue.next() == nil)
    }
}

private final class ResumeCounter: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
