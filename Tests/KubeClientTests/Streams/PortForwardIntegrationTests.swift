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

@Suite("Port-forward against the test server")
struct PortForwardIntegrationTests {
    @Test("a connection reaches the pod port: bytes go there and back")
    func echo() async throws {
        try await withEchoPod { pod in
            let connection = try pod.connect()
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
        try await withEchoPod(podPort: 9000) { pod in
            let connection = try pod.connect()
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
        try await withEchoPod(podPort: 7000, target: try unusedPort()) { pod in
            let connection = try pod.connect()
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
        try await withEchoPod { pod in
            let connection = try pod.connect()
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
        try await withEchoPod { pod in
            let port = serverPort(pod.cluster.server.url)
            do {
                let connection = try pod.connect()
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
            #expect(eventually { SocketCensus.clientSockets(toPort: port) <= 1 })
        }
    }

    @Test("a local forwarder carries many concurrent connections, and stop() closes them all")
    func forwarder() async throws {
        try await withEchoPod { pod in
            let forwarder = try pod.startForwarder()
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
