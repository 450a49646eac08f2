import KubeClient
import KubeCore
import Testing

/// Issue: an endless list body, an endless error body, a watch line with no newline or
/// `KUBECONFIG=/dev/zero` aborted the process. Each now fails with a clear error.
@Suite("Responses and files larger than their limits fail cleanly")
struct ResponseLimitTests {
    private static let small = ResponseLimits(maxBodyBytes: 1 << 20, maxErrorBodyBytes: 64 << 10,
                                              maxWatchEventBytes: 1 << 20, maxHeaderBytes: 64 << 10)

    private static func client(_ server: HostileHTTPServer) throws -> KubeClient {
        try KubeClient(config: RESTConfig(host: server.url, qps: -1),
                       options: TransportOptions(retryPolicy: .none, warningHandler: .ignore, limits: small))
    }

    private static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("an endless 200 body stops at maxBodyBytes")
    func endlessBody() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"items\":[", filler: "{\"a\":1},")
        defer { server.stop() }
        let pods = try Self.client(server).resource(apiVersion: "v1", resource: "pods", namespace: "default")
        #expect(Self.message { _ = try pods.list() }.contains("larger than 1048576 bytes (ResponseLimits.maxBodyBytes)"))
    }

    @Test("an endless error body stops at maxErrorBodyBytes")
    func endlessErrorBody() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 500 Internal Server Error\r\n\r\n", filler: "x")
        defer { server.stop() }
        let pods = try Self.client(server).resource(apiVersion: "v1", resource: "pods", namespace: "default")
        #expect(Self.message { _ = try pods.get("web") }.contains("ResponseLimits.maxErrorBodyBytes"))
    }

    @Test("endless response headers stop at maxHeaderBytes")
    func endlessHeaders() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\n", filler: "X-Filler: 0123456789abcdef\r\n")
        defer { server.stop() }
        let pods = try Self.client(server).resource(apiVersion: "v1", resource: "pods", namespace: "default")
        #expect(Self.message { _ = try pods.get("web") }.contains("ResponseLimits.maxHeaderBytes"))
    }

    @Test("a watch line with no newline stops at maxWatchEventBytes")
    func endlessWatchLine() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"type\":\"ADDED\",\"object\":\"", filler: "y")
        defer { server.stop() }
        let pods = try Self.client(server).resource(apiVersion: "v1", resource: "pods", namespace: "default")
        #expect(Self.message { try pods.watchRaw { _ in .continue } }.contains("ResponseLimits.maxWatchEventBytes"))
    }

    @Test("KUBECONFIG=/dev/zero is refused as too large")
    func devZeroKubeconfig() {
        #expect(Self.message { _ = try RESTConfig.load(path: "/dev/zero") }.contains("is larger than 64 MiB"))
    }
}
