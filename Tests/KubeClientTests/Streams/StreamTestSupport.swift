import Glibc
@testable import KubeClient
import KubeCore
import KubeTestServer
import Testing
import KubeTestSupport

/// Pods for the exec, attach and port-forward tests (the test server needs the pod to exist).
enum StreamPods {
    static let pods = GroupVersionResource(group: "", version: "v1", resource: "pods")

    /// Creates a pod with the given containers in "default"; returns its name.
    @discardableResult
    static func create(_ cluster: TestCluster, name: String = "pod-\(UInt32.random(in: 0 ..< .max))",
                       containers: [String] = ["app"]) throws -> String {
        var pod = Unstructured(apiVersion: "v1", kind: "Pod", name: name, namespace: "default")
        pod.object["spec"] = .object(["containers": .array(containers.map { .object(["name": .string($0), "image": "busybox"]) })])
        _ = try cluster.client.resource(pods).namespace("default").create(pod)
        return name
    }
}

/// Client-side TCP connections to one server port, found through /proc: a count that other
/// tests running in parallel cannot disturb (each test server has a port of its own).
enum SocketCensus {
    /// Descriptors of this process whose TCP peer is `port` on the loopback.
    static func clientSockets(toPort port: Int) -> Int {
        var inodes = Set<String>()
        for table in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
            for line in readLines(table).dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9 else { continue }
                let remote = fields[2].split(separator: ":")
                guard remote.count == 2, Int(remote[1], radix: 16) == port else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        guard !inodes.isEmpty, let dir = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var target = [CChar](repeating: 0, count: 256)
            let length = readlink("/proc/self/fd/\(name)", &target, 255)
            guard length > 0 else { continue }
            let text = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("socket:["), inodes.contains(String(text.dropFirst(8).dropLast())) { count += 1 }
        }
        return count
    }

    private static func readLines(_ path: String) -> [Substring] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var text: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            text.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: text, as: UTF8.self).split(separator: "\n")
    }
}

/// The server port of a test server URL ("https://127.0.0.1:PORT").
func serverPort(_ url: String) -> Int {
    Int(url.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? "") ?? 0
}

/// A plain TCP echo server on 127.0.0.1 for port-forward targets: every connection gets back
/// what it sends, and is closed (write side) after the client's end-of-file.
final class EchoServer: @unchecked Sendable {
    let port: UInt16
    private let listener: PortForwardListener
    private var acceptor: KubeThread?
    private let connections = ConditionLock()
    private var threads: [KubeThread] = []
    private var fds: Set<Int32> = []

    init() throws {
        listener = try PortForwardListener(address: "127.0.0.1", port: 0)
        port = listener.port
        acceptor = try KubeThread.spawn(name: "echo-accept") { [self] in
            while let fd = listener.accept() {
                connections.withLock { _ = fds.insert(fd) }
                if let thread = try? KubeThread.spawn(name: "echo", { [self] in serve(fd) }) {
                    connections.withLock { threads.append(thread) }
                }
            }
        }
    }

    private func serve(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        loop: while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { break loop }
                offset += written
            }
        }
        shutdown(fd, Int32(SHUT_WR))
        connections.withLock {
            fds.remove(fd)
            close(fd)
        }
    }

    func stop() {
        listener.wake()
        acceptor?.join()
        let all = connections.withLock { () -> [KubeThread] in
            for fd in fds { shutdown(fd, Int32(SHUT_RDWR)) }
            return threads
        }
        for thread in all { thread.join() }
        listener.closeAll()
    }
}

/// A free local port with nothing listening on it (bound, then released).
func unusedPort() throws -> UInt16 {
    let listener = try PortForwardListener(address: "127.0.0.1", port: 0)
    let port = listener.port
    listener.closeAll()
    return port
}

/// Runs a blocking test body on a thread of its own and awaits it.
///
/// Swift Testing runs test functions on the cooperative pool, which has one thread per core
/// (two here). The in-process test server runs exec commands as Swift tasks on that same
/// pool, so a few synchronous tests blocked on exec output would starve it: the commands
/// never run and every test waits forever. Off the pool, the body can block freely.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        do {
            let thread = try KubeThread.spawn(name: "test-body") {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.detachWhenDone()
        } catch {
            continuation.resume(throwing: error)
        }
    }
}
