import Glibc
@testable import KubeClient
import KubeCore
import KubeTestServer
import Testing
import KubeTestSupport

/// Reads until `count` bytes arrived or the stream ended.
private func readExactly(_ connection: PortForwardConnection, _ count: Int) throws -> [UInt8] {
    var received: [UInt8] = []
    received.reserveCapacity(count)
    while received.count < count {
        let chunk = try connection.read(maxLength: 256 * 1024)
        if chunk.isEmpty { break }
        received += chunk
    }
    return received
}

/// A blocking TCP client for the local side of a PortForwarder.
private final class LocalClient: @unchecked Sendable {
    let fd: Int32
    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            close(fd)
            throw KubeError.transport(TransportError(kind: .connect, message: "connect to 127.0.0.1:\(port): errno \(errno)"))
        }
    }
    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }
    /// Reads until `count` bytes or end-of-file.
    func read(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while out.count < count {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, count - out.count)) }
            if got <= 0 { break }
            out += buffer[0..<got]
        }
        return out
    }
    func closeWrite() { shutdown(fd, Int32(SHUT_WR)) }
    deinit { close(fd) }
}

@Suite("Port-forward against the test server")
struct PortForwardIntegrationTests {
    @Test("a connection reaches the pod port: bytes go there and back")
    func echo() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let echo = try EchoServer()
            defer { echo.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 8080, to: "127.0.0.1", port: Int(echo.port))
            let connection = try cluster.client.portForward(namespace: "default", pod: pod, port: 8080)
            defer { connection.close() }
            try connection.write(Array("hello".utf8))
            #expect(try readExactly(connection, 5) == Array("hello".utf8))
            try connection.write(Array(" again".utf8))
            #expect(try readExactly(connection, 6) == Array(" again".utf8))
            #expect(throws: KubeError.self) { try connection.read(maxLength: 10, timeout: .milliseconds(20)) }  // a timeout
        }
    }

    @Test("8 MiB in both directions arrive intact and in order")
    func largePayload() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let echo = try EchoServer()
            defer { echo.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 9000, to: "127.0.0.1", port: Int(echo.port))
            let connection = try cluster.client.portForward(namespace: "default", pod: pod, port: 9000)
            defer { connection.close() }
            var generator = SeededGenerator(defaultSeed: 29)
            let payload = (0..<(8 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let writer = try KubeThread.spawn(name: "test-pf-writer") {
                var offset = 0
                while offset < payload.count {
                    let end = min(payload.count, offset + 300_001)
                    try? connection.write(Array(payload[offset..<end]))
                    offset = end
                }
            }
            let received = try readExactly(connection, payload.count)
            writer.join()
            #expect(received.count == payload.count)
            #expect(received == payload)
        }
    }

    @Test("a pod port where nothing listens fails the first read with the server's message")
    func refusedTarget() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 7000, to: "127.0.0.1", port: Int(try unusedPort()))
            let connection = try cluster.client.portForward(namespace: "default", pod: pod, port: 7000)
            defer { connection.close() }
            do {
                let bytes = try connection.read()
                Issue.record("read \(bytes.count) bytes from a refused port")
            } catch let error as KubeError {
                #expect(error.status != nil, "\(error)")
            }
        }
    }

    @Test("closeWrite ends the sending side; what was sent still comes back, then the end")
    func closeWrite() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let echo = try EchoServer()
            defer { echo.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 8080, to: "127.0.0.1", port: Int(echo.port))
            let connection = try cluster.client.portForward(namespace: "default", pod: pod, port: 8080)
            defer { connection.close() }
            try connection.write(Array("abc".utf8))
            #expect(try readExactly(connection, 3) == Array("abc".utf8))
            try connection.closeWrite()
            #expect(throws: KubeError.self) { try connection.write([1]) }
            #expect(try connection.read() == [])
        }
    }

    @Test("close() ends a blocked read with .cancelled and leaves no socket")
    func closeEndsRead() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let echo = try EchoServer()
            defer { echo.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 8080, to: "127.0.0.1", port: Int(echo.port))
            let port = serverPort(cluster.server.url)
            do {
                let connection = try cluster.client.portForward(namespace: "default", pod: pod, port: 8080)
                let outcome = ConditionBox<Result<[UInt8], KubeError>>()
                let reader = try KubeThread.spawn(name: "test-pf-read") {
                    do throws(KubeError) { outcome.set(.success(try connection.read())) } catch { outcome.set(.failure(error)) }
                }
                connection.close()
                reader.join()
                if case .failure(let error)? = outcome.value {
                    #expect(error.isCancelled)
                } else {
                    Issue.record("read did not fail after close(): \(String(describing: outcome.value))")
                }
            }
            #expect(SocketCensus.eventually { SocketCensus.clientSockets(toPort: port) <= 1 })
        }
    }

    @Test("a local forwarder carries many concurrent connections, and stop() closes them all")
    func forwarder() async throws {
        try await offPool {
            let cluster = try TestCluster()
            defer { cluster.stop() }
            let echo = try EchoServer()
            defer { echo.stop() }
            let pod = try StreamPods.create(cluster)
            cluster.server.registerPortForward(namespace: "default", pod: pod, port: 8080, to: "127.0.0.1", port: Int(echo.port))
            let forwarder = try cluster.client.startPortForwarder(namespace: "default", pod: pod, remotePort: 8080)
            #expect(forwarder.localPort != 0)

            let results = ConditionBox<Int>()
            let done = StreamCounter()
            var threads: [KubeThread] = []
            for index in 0..<16 {
                threads.append(try KubeThread.spawn(name: "test-pf-client-\(index)") {
                    guard let client = try? LocalClient(port: forwarder.localPort) else { return }
                    let payload = (0..<(128 * 1024)).map { UInt8(truncatingIfNeeded: $0 &+ index) }
                    client.write(payload)
                    if client.read(payload.count) == payload { done.increment() }
                    client.closeWrite()
                    _ = client.read(1)  // end-of-file once the pod side ended
                })
            }
            for thread in threads { thread.join() }
            _ = results
            #expect(done.value == 16)

            // Connections held open across stop() are closed by it: their reads see end-of-file.
            let open = try (0..<4).map { _ in try LocalClient(port: forwarder.localPort) }
            for client in open { client.write(Array("x".utf8)) }
            for client in open { #expect(client.read(1) == Array("x".utf8)) }
            #expect(forwarder.activeConnections == 4)
            forwarder.stop()
            for client in open { #expect(client.read(1) == []) }
            #expect(forwarder.activeConnections == 0)
            #expect(throws: (any Error).self) { try LocalClient(port: forwarder.localPort) }
            forwarder.stop()  // idempotent
        }
    }
}

/// A thread-safe counter.
final class StreamCounter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
