import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("One client shared by many threads")
struct ConcurrencyTests {
    @Test("concurrent requests from several threads all succeed on the shared pool")
    func concurrentRequests() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let failures = Counter()
        var threads: [KubeThread] = []
        for worker in 0..<6 {
            threads.append(try KubeThread.spawn(name: "worker-\(worker)") {
                for index in 0..<15 {
                    do {
                        _ = try configMaps.create(TestCluster.configMap("w\(worker)-\(index)"))
                        _ = try configMaps.get("w\(worker)-\(index)")
                    } catch {
                        failures.add("\(error)")
                    }
                }
            })
        }
        for thread in threads { thread.join() }
        #expect(failures.values.isEmpty)
        #expect(try configMaps.list().items.count == 90)
    }

    @Test("a watch stream ends (next returns nil) when the server closes it")
    func streamEndsWhenServerCloses() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let stream = try configMaps.watchStream(ListOptions(resourceVersion: try configMaps.list().resourceVersion))
        _ = try configMaps.create(TestCluster.configMap("before-close"))
        #expect(try stream.next()?.object.name == "before-close")
        cluster.server.closeAllWatches()
        #expect(try stream.next() == nil)
        stream.close()
    }
}
