import Glibc
@testable import KubeClient
import KubeCore
import KubeTestServer
import Testing
import KubeTestSupport

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Pulls every output chunk of a session until its end.
private func drain(_ session: ExecSession) throws -> (stdout: String, stderr: String) {
    var out: [UInt8] = []
    var err: [UInt8] = []
    while let event = try session.next() {
        switch event {
        case .stdout(let bytes): out += bytes
        case .stderr(let bytes): err += bytes
        }
    }
    return (text(out), text(err))
}

@Suite("Exec and attach against the test server")
struct ExecIntegrationTests {
    @Test("exec runs a command over v5.channel.k8s.io and returns its output and exit code")
    func execEcho() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["echo", "hello", "world"])
            defer { session.close() }
            #expect(session.channelProtocol == "v5.channel.k8s.io")
            #expect(try drain(session).stdout == "hello world\n")
            #expect(try session.wait() == 0)
        }
    }

    @Test("exec falls back to v4.channel.k8s.io when only v4 is offered, where closing stdin is unsupported")
    func execV4() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.openExecSession(
                subresource: "exec", namespace: "default", pod: pod, command: ["sh", "-c", "echo out; echo err >&2; exit 4"],
                options: ExecOptions(stdin: true), cancellation: nil, protocols: ["v4.channel.k8s.io"])
            defer { session.close() }
            #expect(session.channelProtocol == "v4.channel.k8s.io")
            #expect(throws: KubeError.self) { try session.closeStdin() }
            let output = try drain(session)
            #expect(output.stdout == "out\n")
            #expect(output.stderr == "err\n")
            #expect(try session.wait() == 4)
        }
    }

    @Test("stdout and stderr arrive apart, and exit codes are results")
    func stderrAndExitCodes() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let result = try cluster.client.execCollect(namespace: "default", pod: pod,
                                                        command: ["sh", "-c", "echo to-out; echo to-err >&2; exit 7"])
            #expect(text(result.stdout) == "to-out\n")
            #expect(text(result.stderr) == "to-err\n")
            #expect(result.exitCode == 7)
            #expect(try cluster.client.execCollect(namespace: "default", pod: pod, command: ["false"]).exitCode == 1)
            #expect(try cluster.client.execCollect(namespace: "default", pod: pod, command: ["true"]).exitCode == 0)
        }
    }

    @Test("stdin reaches the command, and closing it ends cat")
    func stdinAndCloseStdin() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["cat"], options: ExecOptions(stdin: true))
            defer { session.close() }
            try session.writeStdin(Array("first line\n".utf8))
            #expect(try session.next() == .stdout(Array("first line\n".utf8)))
            try session.writeStdin(Array("second".utf8))
            try session.closeStdin()
            try session.closeStdin()  // idempotent
            #expect(throws: KubeError.self) { try session.writeStdin([1]) }
            #expect(try drain(session).stdout == "second")
            #expect(try session.wait() == 0)
        }
    }

    @Test("execCollect feeds stdin larger than every buffer to cat without deadlock")
    func largeStdin() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let input = (0..<(6 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
            let result = try cluster.client.execCollect(namespace: "default", pod: pod, command: ["cat"], stdin: input)
            #expect(result.exitCode == 0)
            #expect(result.stdout.count == input.count)
            #expect(result.stdout == input)
        }
    }

    @Test("a terminal gets its size from resize")
    func resizeWithTTY() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["stty", "size"],
                                                  options: ExecOptions(stdin: true, tty: true))
            defer { session.close() }
            try session.resize(width: 132, height: 43)
            #expect(try drain(session).stdout.trimmingCharacters() == "43 132")
            #expect(try session.wait() == 0)
            let plain = try cluster.client.exec(namespace: "default", pod: pod, command: ["true"])
            defer { plain.close() }
            #expect(throws: KubeError.self) { try plain.resize(width: 1, height: 1) }
        }
    }

    @Test("close() ends a next() blocked on a silent command, with .cancelled")
    func closeEndsBlockedNext() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["sleep", "60"])
            let outcome = ConditionBox<Result<ExecEvent?, KubeError>>()
            let puller = try KubeThread.spawn(name: "test-next") {
                do throws(KubeError) { outcome.set(.success(try session.next())) } catch { outcome.set(.failure(error)) }
            }
            #expect(throws: KubeError.self) { try session.next(timeout: .milliseconds(50)) }  // a timeout, session goes on
            session.close()
            puller.join()
            guard case .failure(let error)? = outcome.value else {
                Issue.record("next() did not fail after close(): \(String(describing: outcome.value))")
                return
            }
            #expect(error.isCancelled)
            #expect(session.stream.isClosed)
            session.close()  // idempotent
        }
    }

    @Test("a cancellation token ends the session like close()")
    func cancellationToken() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let token = CancellationToken()
            let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["sleep", "60"], cancellation: token)
            defer { session.close() }
            let canceller = try KubeThread.spawn(name: "test-cancel") { token.cancel() }
            do {
                _ = try session.wait()
                Issue.record("wait() returned after cancel")
            } catch let error as KubeError {
                #expect(error.isCancelled || error.description.contains("closed"), "\(error)")
            }
            canceller.join()
        }
    }

    @Test("a missing pod is NotFound and an unknown container is a 400, before any session exists")
    func refusedUpgrades() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster, containers: ["a", "b"])
            do {
                _ = try cluster.client.exec(namespace: "default", pod: "no-such-pod", command: ["true"])
                Issue.record("exec on a missing pod succeeded")
            } catch let error as KubeError {
                #expect(error.isNotFound, "\(error)")
            }
            do {
                _ = try cluster.client.exec(namespace: "default", pod: pod, command: ["true"], options: ExecOptions(container: "zzz"))
                Issue.record("exec in an unknown container succeeded")
            } catch let error as KubeError {
                #expect(error.httpCode == 400, "\(error)")
            }
            do {
                _ = try cluster.client.portForward(namespace: "default", pod: "no-such-pod", port: 80)
                Issue.record("port-forward to a missing pod succeeded")
            } catch let error as KubeError {
                #expect(error.isNotFound, "\(error)")
            }
        }
    }

    @Test("an unknown command is the server's error, not an exit code")
    func unknownCommand() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            do {
                let result = try cluster.client.execCollect(namespace: "default", pod: pod, command: ["no-such-binary"])
                Issue.record("unknown command gave a result: \(result)")
            } catch let error as KubeError {
                #expect(error.status?.code == 500, "\(error)")
            }
        }
    }

    @Test("attach talks to the container's main process")
    func attach() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let session = try cluster.client.attach(namespace: "default", pod: pod, options: ExecOptions(stdin: true))
            defer { session.close() }
            try session.writeStdin(Array("ping\n".utf8))
            var seen = ""
            while !seen.contains("ping\n"), let event = try session.next() {
                if case .stdout(let bytes) = event { seen += text(bytes) }
            }
            #expect(seen == "ping\n")
            try session.closeStdin()
            _ = try drain(session)
            #expect(try session.wait() == 0)
        }
    }

    @Test("events delivers the output as an async sequence and exitCode() the status")
    func asyncEvents() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let pod = try StreamPods.create(cluster)
        let session = try cluster.client.exec(namespace: "default", pod: pod, command: ["sh", "-c", "echo a; echo b >&2; exit 2"])
        defer { session.close() }
        var events: [ExecEvent] = []
        for try await event in session.events { events.append(event) }
        #expect(events.contains(.stdout(Array("a\n".utf8))))
        #expect(events.contains(.stderr(Array("b\n".utf8))))
        #expect(try await session.exitCode() == 2)
    }

    @Test("sessions leave no socket or reader thread behind")
    func noLeaks() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            let port = serverPort(cluster.server.url)
            var readers: [KubeThread] = []
            for index in 0..<20 {
                let session = try cluster.client.exec(namespace: "default", pod: pod,
                                                      command: index % 2 == 0 ? ["echo", "x"] : ["sleep", "30"])
                if index % 2 == 0 { _ = try drain(session) }
                session.close()
                if let thread = session.stream.readerThread { readers.append(thread) }
            }
            #expect(readers.allSatisfy { $0.isFinished })
            // The pooled keep-alive connections of ordinary requests are not ours: count exec's only
            // by letting the pool go idle first (it holds at most one here: no request ran meanwhile).
            #expect(eventually { SocketCensus.clientSockets(toPort: port) <= 1 })
        }
    }
}

/// A value set once by another thread.
final class ConditionBox<T: Sendable>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stored: T?
    func set(_ value: T) { lock.withLock { stored = value; lock.broadcast() } }
    var value: T? { lock.withLock { stored } }
}

extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        return String(text)
    }
}
