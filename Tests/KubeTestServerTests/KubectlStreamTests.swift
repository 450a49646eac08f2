import Foundation
import KubeCore
import KubeTestServer
import Testing

/// kubectl 1.32 against the test server's streaming subresources (WebSocket v5 for exec and
/// attach, chunked text for logs).
@Suite("kubectl exec, attach and logs -f", .serialized,
       .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed; skipping the kubectl suite"))
final class KubectlStreamTests: KubectlSession {
    func pod(_ name: String, containers: [String] = ["main"], stdin: Bool = false) throws {
        try server.seed(json: execPod(name, containers: containers, stdin: stdin))
    }

    @Test("kubectl exec POD -- echo hi")
    func execEcho() throws {
        try pod("web")
        #expect(try expectOK(["exec", "web", "--", "echo", "hi"]) == "hi\n")
    }

    @Test("kubectl exec -i POD -- cat copies piped stdin")
    func execStdin() throws {
        try pod("web")
        let input = (1...200).map { "line \($0)" }.joined(separator: "\n") + "\n"
        #expect(try expectOK(["exec", "-i", "web", "--", "cat"], stdin: input) == input)
    }

    @Test("kubectl exec propagates the exit code and separates stderr")
    func execExitCode() throws {
        try pod("web")
        let r = try run(["exec", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(r.status == 3)
        #expect(r.stdout == "out\n")
        #expect(r.stderr.contains("err\n"))
        #expect(r.stderr.contains("command terminated with exit code 3"))
    }

    @Test("kubectl exec -it POD -- sh in a terminal: prompt, echo, exit code", .enabled(if: ProcessRunner.find("script") != nil))
    func execInteractive() throws {
        try pod("web")
        let script = try #require(ProcessRunner.find("script"))
        // script(1) gives kubectl a terminal; kubectl switches it to raw mode and sends keystrokes.
        let r = try ProcessRunner.run(script, ["-qec", "stty rows 40 cols 100; \(kubectl) exec -it web -- sh", "/dev/null"],
                                      environment: environment, stdin: "echo hello\rstty size\rexit 3\r")
        #expect(r.status == 3, "\(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("$ echo hello\r\nhello\r\n$ stty size\r\n40 100\r\n$ exit 3\r\n"), "\(r.stdout)")
    }

    @Test("kubectl exec reports an unknown container, a missing pod and an unknown command")
    func execErrors() throws {
        try pod("web")
        let container = try run(["exec", "web", "-c", "nope", "--", "true"])
        #expect(container.status != 0)
        #expect(container.stderr.contains("container nope is not valid for pod web"))
        let missing = try run(["exec", "gone", "--", "true"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains(#"pods "gone" not found"#))
        let command = try run(["exec", "web", "--", "no-such-command"])
        #expect(command.status == 1)
        #expect(command.stderr.contains(#"exec: "no-such-command": executable file not found in $PATH"#))
    }

    @Test("exec upgrades authenticate like other requests: client certificate yes, read-only no")
    func execCredentials() throws {
        try pod("web")
        #expect(try expectOK(["--context", "client-cert", "exec", "web", "--", "echo", "cert"]) == "cert\n")
        let readOnly = try run(["--context", "read-only", "exec", "web", "--", "true"])
        #expect(readOnly.status != 0)
        #expect(readOnly.stderr.contains(#"cannot create resource "pods/exec""#), "\(readOnly.stderr)")
    }

    @Test("kubectl exec in a multi-container pod with -c, and a registered handler")
    func execContainer() throws {
        try pod("multi", containers: ["app", "sidecar"])
        server.registerExecHandler(command: "whoami") { call in
            try await call.stdout.write("\(call.container)\n")
            return 0
        }
        #expect(try expectOK(["exec", "multi", "-c", "sidecar", "--", "whoami"]) == "sidecar\n")
    }

    @Test("kubectl attach -i shows the echoed stdin and ends when stdin closes")
    func attach() throws {
        try pod("att", stdin: true)
        let r = try run(["attach", "-i", "att"], stdin: "hello\nworld\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "hello\nworld\n")
    }

    @Test("kubectl attach shows lines the container logs and ends when the pod is deleted")
    func attachLog() throws {
        try pod("att", stdin: true)
        let process = try ProcessRunner.Background(kubectl, ["attach", "att", "-q"], environment: environment)
        defer { process.stop() }
        // The attach is up once a line appended now reaches it; keep appending until one does.
        var appended = 0
        let seen = process.wait(timeout: 30) { output in
            if output.isEmpty {
                appended += 1
                try? self.server.appendLog(pod: "att", line: "tick \(appended)")
            }
            return !output.isEmpty
        }
        #expect(seen)
        #expect(process.output.first?.hasPrefix("tick ") == true)
        try server.appendLog(pod: "att", line: "the end")
        #expect(process.wait(timeout: 10) { $0.last == "the end" })
        _ = try expectOK(["delete", "pod", "att", "--wait=false"])
        process.process.waitUntilExit()
        #expect(process.process.terminationStatus == 0)
    }

    @Test("kubectl logs -f follows appended lines and ends when the pod is deleted")
    func logsFollow() throws {
        try pod("logger")
        try server.appendLog(pod: "logger", line: "first")
        let process = try ProcessRunner.Background(kubectl, ["logs", "-f", "logger"], environment: environment)
        defer { process.stop() }
        #expect(process.wait(timeout: 30) { $0 == ["first"] })
        try server.appendLog(pod: "logger", line: "second\nthird")
        #expect(process.wait(timeout: 10) { $0 == ["first", "second", "third"] })
        _ = try expectOK(["delete", "pod", "logger", "--wait=false"])
        process.process.waitUntilExit()
        #expect(process.process.terminationStatus == 0)
        #expect(process.output == ["first", "second", "third"])
    }

    @Test("kubectl logs --previous, --tail, --limit-bytes and --timestamps")
    func logsOptions() throws {
        try pod("logger")
        let none = try run(["logs", "logger", "--previous"])
        #expect(none.status != 0)
        #expect(none.stderr.contains(#"previous terminated container "main" in pod "logger" not found"#))
        try server.appendLog(pod: "logger", line: "old run", previous: true)
        try server.appendLog(pod: "logger", line: "one\ntwo\nthree")
        #expect(try expectOK(["logs", "logger", "--previous"]) == "old run\n")
        #expect(try expectOK(["logs", "logger", "--tail=2"]) == "two\nthree\n")
        #expect(try expectOK(["logs", "logger", "--limit-bytes=5"]) == "one\nt")
        let stamped = try expectOK(["logs", "logger", "--timestamps", "--tail=1"])
        #expect(stamped.hasSuffix("Z three\n"))
    }
}
