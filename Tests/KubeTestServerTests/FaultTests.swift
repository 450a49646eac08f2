import Foundation
import KubeCore
import KubeTestServer
import Testing

@Suite("Fault injection")
struct FaultTests {
    @Test("the next N requests matching a path fail with 429 and Retry-After")
    func failNext() throws {
        try withServer { server, client throws in
            server.failNext(2, status: 429, path: "/configmaps", retryAfterSeconds: 3)
            #expect(try client.get("/api/v1/namespaces").status == 200)
            let first = try client.get(configMapsPath)
            #expect(first.status == 429)
            #expect(first.headers["retry-after"] == "3")
            #expect(first.json?["reason"] == "TooManyRequests")
            #expect(try client.get(configMapsPath).status == 429)
            #expect(try client.get(configMapsPath).status == 200)
        }
    }

    @Test("the admin endpoint injects faults and refuses the read-only token")
    func endpoint() throws {
        try withServer { server, client throws in
            let r = try client.post("/_testserver/faults", ["action": "fail", "status": 503, "count": 1])
            #expect(r.status == 200)
            #expect(try client.get(configMapsPath).status == 503)
            var readOnly = client
            readOnly.token = server.readOnlyToken
            #expect(try readOnly.post("/_testserver/faults", ["action": "compact"]).status == 403)
        }
    }

    @Test("closing all watches ends open streams")
    func closeWatches() throws {
        try withServer { server, client throws in
            let watch = try client.watch(configMapsPath + "?watch=1")
            defer { watch.close() }
            server.closeAllWatches()
            #expect(try watch.next(timeout: 3) == nil)
            #expect(watch.ended)
        }
    }

    @Test("stalled watches hold events back until released")
    func stall() throws {
        try withServer { server, client throws in
            let watch = try client.watch(configMapsPath + "?watch=1")
            defer { watch.close() }
            server.stallWatches(true)
            _ = try client.post(configMapsPath, configMap("a"))
            #expect(try watch.next(timeout: 0.5) == nil)
            server.stallWatches(false)
            #expect(try watch.next(timeout: 3)?["type"] == "ADDED")
        }
    }

    @Test("latency delays responses")
    func latency() throws {
        try withServer { server, client throws in
            server.setLatency(.milliseconds(300))
            let start = Date()
            #expect(try client.get(configMapsPath).status == 200)
            #expect(Date().timeIntervalSince(start) >= 0.29)
        }
    }
}
