import Glibc
@testable import KubeClient
import KubeCore
import Testing

/// A one-connection-at-a-time raw TCP server that answers the upgrade as told: to check what
/// the client makes of servers that break the protocol (no real server sends these).
private final class RawUpgradeServer: @unchecked Sendable {
    let port: UInt16
    private let listener: PortForwardListener
    private var thread: KubeThread?

    /// `answer` gets the request's Sec-WebSocket-Key and returns the bytes to send back;
    /// the connection is closed after them.
    init(answer: @escaping @Sendable (String) -> [UInt8]) throws {
        listener = try PortForwardListener(address: "127.0.0.1", port: 0)
        port = listener.port
        thread = try KubeThread.spawn(name: "raw-upgrade") { [listener] in
            while let fd = listener.accept() {
                sendAll(fd, answer(readUpgradeKey(fd)))
                // Let the client read everything before the close.
                shutdown(fd, Int32(SHUT_WR))
                var sink = [UInt8](repeating: 0, count: 4096)
                while sink.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
                close(fd)
            }
        }
    }

    func stop() {
        listener.wake()
        thread?.join()
        listener.closeAll()
    }

    var client: KubeClient {
        get throws {
            try KubeClient(config: RESTConfig(host: "http://127.0.0.1:\(port)", qps: -1),
                           options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        }
    }

    static func switching(_ key: String, protocol chosen: String = "v5.channel.k8s.io") -> [UInt8] {
        Array(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocketHandshake.accept(for: key))\r\n"
            + "Sec-WebSocket-Protocol: \(chosen)\r\n\r\n").utf8)
    }
}

@Suite("WebSocket against servers that break the protocol")
struct WebSocketHostileServerTests {
    @Test("a frame larger than 32 MiB is refused with a clear error, before it is buffered")
    func oversizeFrame() async throws {
        try await offPool {
            // A binary frame header announcing 64 MiB, and no payload.
            let server = try RawUpgradeServer { key in
                RawUpgradeServer.switching(key) + [0x82, 127, 0, 0, 0, 0, 0x04, 0, 0, 0]
            }
            defer { server.stop() }
            let session = try server.client.exec(namespace: "default", pod: "p", command: ["true"])
            defer { session.close() }
            do {
                _ = try session.next()
                Issue.record("an oversized frame was accepted")
            } catch let error as KubeError {
                #expect(error.description.contains("larger than the limit of 33554432 bytes"), "\(error)")
            }
        }
    }

    @Test("a malformed frame ends the session with a protocol error")
    func malformedFrame() async throws {
        try await offPool {
            let server = try RawUpgradeServer { key in RawUpgradeServer.switching(key) + [0xF2, 0x00] }  // RSV bits
            defer { server.stop() }
            let session = try server.client.exec(namespace: "default", pod: "p", command: ["true"])
            defer { session.close() }
            #expect { _ = try session.wait() } throws: { "\($0)".contains("reserved bits") }
        }
    }

    @Test("a server that picks a protocol not offered is refused as an unsupported protocol version")
    func unsupportedProtocol() async throws {
        try await offPool {
            let server = try RawUpgradeServer { key in RawUpgradeServer.switching(key, protocol: "v3.channel.k8s.io") }
            defer { server.stop() }
            #expect { _ = try server.client.exec(namespace: "default", pod: "p", command: ["true"]) } throws: {
                "\($0)".contains("unsupported protocol version")
            }
        }
    }

    @Test("a wrong Sec-WebSocket-Accept is refused")
    func wrongAccept() async throws {
        try await offPool {
            let server = try RawUpgradeServer { _ in RawUpgradeServer.switching("not-the-key") }
            defer { server.stop() }
            #expect { _ = try server.client.exec(namespace: "default", pod: "p", command: ["true"]) } throws: {
                "\($0)".contains("Sec-WebSocket-Accept")
            }
        }
    }

    @Test("a refusal with a plain-text body becomes a Status with the HTTP code")
    func refusedWithText() async throws {
        try await offPool {
            let server = try RawUpgradeServer { _ in
                Array("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nno exec here".utf8)
            }
            defer { server.stop() }
            do {
                _ = try server.client.exec(namespace: "default", pod: "p", command: ["true"])
                Issue.record("a 403 upgrade succeeded")
            } catch let error as KubeError {
                #expect(error.isForbidden)
                #expect(error.description.contains("no exec here"))
            }
        }
    }

    @Test("a connection dropped mid-session is an error, not a quiet end")
    func droppedConnection() async throws {
        try await offPool {
            // Some stdout, then the TCP connection ends with neither a status nor a close frame.
            let server = try RawUpgradeServer { key in RawUpgradeServer.switching(key) + [0x82, 0x03, 1, 0x68, 0x69] }
            defer { server.stop() }
            let session = try server.client.exec(namespace: "default", pod: "p", command: ["true"])
            defer { session.close() }
            #expect(try session.next() == .stdout(Array("hi".utf8)))
            #expect { _ = try session.next() } throws: { "\($0)".contains("without a close frame") }
        }
    }
}
