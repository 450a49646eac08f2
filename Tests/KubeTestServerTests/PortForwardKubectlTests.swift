import Foundation
import KubeTestServer
import Synchronization
import Testing

/// `kubectl port-forward` (client-go's SPDY port-forward: tunnelled in WebSocket by default since
/// 1.31, a raw `Upgrade: SPDY/3.1` with KUBECTL_PORT_FORWARD_WEBSOCKETS=false) against the test
/// server, with an echo server behind the pod port.
@Suite("kubectl port-forward", .serialized, .enabled(if: ProcessRunner.find("kubectl") != nil, "kubectl is not installed"))
final class PortForwardKubectlTests: KubectlSession {
    let echo: EchoServer

    override init() throws {
        echo = try EchoServer()
        try super.init()
        _ = try server.seed(json: runningPod("web"))
        server.registerPortForward(pod: "web", port: 8080, to: "127.0.0.1", port: echo.port)
    }

    deinit {
        echo.stop()
    }

    enum Mode: String, CaseIterable, CustomStringConvertible {
        case tunnelled = "true", rawSPDY = "false"
        var description: String { self == .tunnelled ? "SPDY tunnelled in WebSocket (default)" : "raw SPDY upgrade" }
    }

    /// Starts `kubectl port-forward pod/web :PORT` and returns it with the local port it chose.
    func startForward(_ mode: Mode, podPort: Int = 8080) throws -> (ProcessRunner.Background, Int) {
        var env = environment
        env["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = mode.rawValue
        let forward = try ProcessRunner.Background(kubectl, ["port-forward", "pod/web", ":\(podPort)", "--address", "127.0.0.1"],
                                                   environment: env)
        let pattern = "Forwarding from 127.0.0.1:"
        _ = forward.wait(timeout: 30) { $0.contains { $0.hasPrefix(pattern) } }
        let line = forward.output.first { $0.hasPrefix(pattern) } ?? ""
        let port = Int(line.dropFirst(pattern.count).prefix { $0.isNumber }) ?? 0
        return (forward, port)
    }

    @Test("kubectl port-forward round-trips bytes through the pod port", arguments: Mode.allCases)
    func roundTrip(_ mode: Mode) throws {
        let (forward, port) = try startForward(mode)
        defer { forward.stop() }
        #expect(port > 0, "kubectl output: \(forward.output)")
        guard port > 0 else { return }
        for round in 0..<3 {
            let payload = patternBytes(count: 200_000 + round, seed: UInt64(round + 11))
            let echoed = try TCPTestClient.roundTrip(port: port, payload: payload)
            #expect(echoed == payload, "round \(round)")
        }
        #expect(forward.output.contains { $0.contains("Handling connection for") })
    }

    @Test("kubectl port-forward carries several connections at once", arguments: Mode.allCases)
    func concurrent(_ mode: Mode) throws {
        let (forward, port) = try startForward(mode)
        defer { forward.stop() }
        guard port > 0 else {
            Issue.record("kubectl did not report a local port: \(forward.output)")
            return
        }
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            let payload = patternBytes(count: 64_000 + i, seed: UInt64(i + 100))
            if (try? TCPTestClient.roundTrip(port: port, payload: payload)) != payload { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test("a pod port with nothing behind it makes kubectl drop the connection and exit, as on a cluster",
          arguments: Mode.allCases)
    func unregisteredPort(_ mode: Mode) throws {
        let (forward, port) = try startForward(mode, podPort: 7070)
        defer { forward.stop() }
        guard port > 0 else {
            Issue.record("kubectl did not report a local port: \(forward.output)")
            return
        }
        #expect(try TCPTestClient.roundTrip(port: port, payload: Array("x".utf8)) == [])
        // kubectl reads the error stream ("error forwarding port 7070 to pod web, ...") and ends
        // with "lost connection to pod".
        forward.process.waitUntilExit()
        #expect(forward.process.terminationStatus != 0)
    }
}
