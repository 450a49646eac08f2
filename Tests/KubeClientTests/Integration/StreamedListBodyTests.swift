import Foundation
import KubeClient
import KubeCore
import Testing
import KubeTestSupport

/// `listRaw(onChunk:)`: a list body handed on as it arrives, split incrementally.
@Suite("Streamed list bodies")
struct StreamedListBodyTests {
    static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")

    @Test("a body cut off mid-list delivers the complete items, then fails; the splitter knows it is incomplete")
    func truncatedBody() throws {
        let item = #"{"metadata":{"name":"x"},"data":{"v":"0123456789"}},"#
        // Content-Length promises more than the server sends before it hangs up.
        let server = try HostileHTTPServer(
            head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                + #"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":["#,
            filler: item, maxBytes: 200_000)
        defer { server.stop() }
        let client = try KubeClient(config: RESTConfig(host: server.url, qps: -1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        var splitter = JSONListSplitter()
        var items = 0
        var chunks = 0
        #expect(throws: KubeError.self) {
            try client.resource(Self.configMaps).namespace("a").listRaw(ListOptions(), onChunk: { chunk in
                chunks += 1
                return (try? splitter.feed(chunk) { _ in items += 1; return true }) ?? false
            })
        }
        #expect(chunks > 1 && items > 1000, "items arrive while the body streams")
        #expect(!splitter.isComplete)
        #expect(throws: JSONError.self) { try splitter.finish() }
    }

    @Test("an endless streamed list body stops at maxBodyBytes, as a buffered one does")
    func endlessBody() throws {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"items\":[",
                                           filler: "{\"a\":1},")
        defer { server.stop() }
        let client = try KubeClient(config: RESTConfig(host: server.url, qps: -1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore,
                                                              limits: ResponseLimits(maxBodyBytes: 1 << 20)))
        var received = 0
        do {
            try client.resource(Self.configMaps).namespace("a").listRaw(ListOptions(), onChunk: { chunk in
                received += chunk.count
                return true
            })
            Issue.record("an endless body ended without an error")
        } catch {
            #expect("\(error)".contains("ResponseLimits.maxBodyBytes"), "\(error)")
        }
        #expect(received > 0 && received <= 1 << 20)
    }

    @Test("a whole list streams into the same items as the buffered body")
    func sameAsBuffered() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        for index in 0..<400 {
            _ = try cluster.server.seed(json: ["apiVersion": "v1", "kind": "ConfigMap",
                                               "metadata": ["name": .string("cm-\(index)"), "namespace": "a"],
                                               "data": ["v": .string(String(repeating: "z", count: 300))]])
        }
        let resource = cluster.client.resource(Self.configMaps).namespace("a")
        var splitter = JSONListSplitter()
        var streamed: [[UInt8]] = []
        try resource.listRaw(ListOptions(), onChunk: { chunk in
            (try? splitter.feed(chunk) { streamed.append(Array($0.bytes)); return true }) ?? false
        })
        try splitter.finish()
        let body = try resource.listRaw(ListOptions())
        let scan = try body.withUnsafeBytes { try ListScan(bytes: $0) }
        #expect(streamed.count == 400)
        #expect(streamed == scan.items.map { Array(body[$0]) })
    }
}
