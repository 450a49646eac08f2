import Glibc
@testable import KubeClient
import KubeCore
import KubeTestServer
import KubeTestSupport

/// What a port-forward test runs against: a test cluster, a pod in "default", and its port
/// `podPort` registered to lead to a local TCP target (an `EchoServer` unless told otherwise).
struct EchoPod {
    let cluster: TestCluster
    let pod: String
    let podPort: UInt16

    /// A single port-forward connection to the pod port.
    func connect() throws -> PortForwardConnection {
        try cluster.client.portForward(namespace: "default", pod: pod, port: podPort)
    }

    /// A local forwarder (ephemeral local port) to the pod port.
    func startForwarder() throws -> PortForwarder {
        try cluster.client.startPortForwarder(namespace: "default", pod: pod, remotePort: podPort)
    }
}

/// Sets up an `EchoPod` (the pod port leads to a fresh echo server, or to `target` when given),
/// runs `body` off the cooperative pool (see `offPool`) and tears everything down.
func withEchoPod(podPort: UInt16 = 8080, target: UInt16? = nil,
                 _ body: @escaping @Sendable (EchoPod) throws -> Void) async throws {
    try await offPool {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let echo = try EchoServer()
        defer { echo.stop() }
        let pod = try StreamPods.create(cluster)
        cluster.server.registerPortForward(namespace: "default", pod: pod, port: Int(podPort), to: "127.0.0.1",
                                           port: Int(target ?? echo.port))
        try body(EchoPod(cluster: cluster, pod: pod, podPort: podPort))
    }
}

/// A blocking TCP client for the local side of a PortForwarder.
final class LocalClient: @unchecked Sendable {
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

    /// Sends all of `bytes` (stops early only when the connection fails).
    func write(_ bytes: some Collection<UInt8>) {
        sendAll(fd, bytes)
    }

    /// Reads until `count` bytes or end-of-file, `chunk` bytes at the most per read.
    func read(_ count: Int = .max, chunk: Int = 65_536) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
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

/// Reads a WebSocket upgrade request's head from the socket `fd` (the scripted servers' side)
/// and returns its Sec-WebSocket-Key ("" when there is none).
func readUpgradeKey(_ fd: Int32) -> String {
    var request: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        request += buffer[0..<count]
    }
    let text = String(decoding: request, as: UTF8.self)
    return text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
        .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters() } ?? ""
}

/// Sends all of `bytes` on the socket `fd`; false when the connection failed first.
@discardableResult
func sendAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
    let bytes = Array(bytes)
    var offset = 0
    while offset < bytes.count {
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        if sent <= 0 { return false }
        offset += sent
    }
    return true
}
