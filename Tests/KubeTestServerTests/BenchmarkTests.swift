import Foundation
import KubeCore
import KubeTestServer
import Testing

/// In-process throughput measurements, run by hand with KUBETESTSERVER_BENCH=1
/// (`benchmarks/testserver/run.sh --in-process`). Prints figures; asserts the issue's floors
/// only in optimized builds (debug builds are several times slower on the create path).
@Suite("Test server benchmarks", .serialized, .enabled(if: ProcessInfo.processInfo.environment["KUBETESTSERVER_BENCH"] == "1"))
struct BenchmarkTests {
    /// A pod of roughly 5 KB serialized.
    static func pod(_ i: Int) -> JSON {
        var env: [JSON] = []
        for e in 0..<40 { env.append(["name": .string("VARIABLE_\(e)"), "value": .string(String(repeating: "v", count: 60))]) }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string("pod-\(i)"), "namespace": "bench",
                         "labels": ["app": "bench", "shard": .string(String(i % 10))],
                         "annotations": ["note": .string(String(repeating: "a", count: 300))]],
            "spec": ["nodeName": .string("node-\(i % 50)"),
                     "containers": [["name": "main", "image": "registry.example.com/team/app:1.2.3", "env": .array(env)]]],
            "status": ["phase": "Running", "podIP": .string("10.0.\(i / 256 % 256).\(i % 256)")],
        ]
    }

    @Test("LIST of 10,000 pods of about 5 KB")
    func list10k() throws {
        try withServer { server, client throws in
            for i in 0..<10_000 { try server.seed(json: Self.pod(i)) }
            _ = try client.get("/api/v1/namespaces/bench/pods?limit=1")  // warm up
            var best = Double.infinity
            var bytes = 0
            for _ in 0..<5 {
                let start = Date()
                let r = try client.get("/api/v1/namespaces/bench/pods")
                best = min(best, Date().timeIntervalSince(start))
                bytes = r.body.count
                #expect(r.status == 200)
            }
            print("BENCH list: 10000 pods, \(bytes / 1024) KiB, best of 5: \(String(format: "%.1f", best * 1000)) ms")
            #if !DEBUG
            #expect(best < 1.0)
            #endif
        }
    }

    @Test("watch events per second to one watcher")
    func watchThroughput() throws {
        try withServer({ $0.historyLimit = 100_000 }) { server, client throws in
            let total = 50_000
            let startRV = server.resourceVersion
            let watch = try client.watch("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(startRV)")
            defer { watch.close() }
            let start = Date()
            let writer = Thread {
                for i in 0..<total {
                    _ = try? server.create(["apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": ["name": .string("cm-\(i)"), "namespace": "default"],
                                            "data": ["k": .string("value-\(i)")]])
                }
                print("BENCH writer alone: \(total) creates in \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
            }
            writer.start()
            let received = try watch.countLines(total, timeout: 60)
            let seconds = Date().timeIntervalSince(start)
            let rate = Double(received) / seconds
            print("BENCH watch: \(received) events in \(String(format: "%.2f", seconds)) s = \(Int(rate)) events/s (writes through the Swift API, one HTTP watcher)")
            #expect(received == total)
            #if !DEBUG
            #expect(rate >= 20_000)
            #endif

            if let curl = ProcessRunner.find("curl") {
                let r = try ProcessRunner.run(curl, ["-s", "-o", "/dev/null", "-w", "%{time_starttransfer} %{time_total} %{size_download}",
                                                     "-H", "Authorization: Bearer \(server.adminToken)",
                                                     "http://127.0.0.1:\(server.port)/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(startRV)&timeoutSeconds=3"])
                print("BENCH curl replay (first byte, total, bytes): \(r.stdout)")
            }
            // Replay: the same events again from the history.
            let replayStart = Date()
            let replay = try client.watch("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(startRV)")
            defer { replay.close() }
            let replayed = try replay.countLines(total, timeout: 60)
            let replaySeconds = Date().timeIntervalSince(replayStart)
            print("BENCH watch replay: \(replayed) events in \(String(format: "%.2f", replaySeconds)) s = \(Int(Double(replayed) / replaySeconds)) events/s")
        }
    }
}
