import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Async reads and Task cancellation")
struct AsyncTests {
    @Test("async get and list return what the blocking ones do")
    func asyncReads() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        _ = try configMaps.create(TestCluster.configMap("async-one"))
        let object = try await configMaps.get("async-one")
        #expect(object.name == "async-one")
        let list = try await configMaps.list()
        #expect(list.items.map(\.name).contains("async-one"))
        await #expect(throws: KubeError.self) { _ = try await configMaps.get("missing") }
    }

    @Test("cancelling the Task ends a slow request at once with a cancelled error")
    func cancellation() async throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        cluster.server.setLatency(.seconds(30))
        defer { cluster.server.setLatency(.zero) }
        let task = Task { try await configMaps.list() }
        task.cancel()
        let outcome = await task.result
        guard case .failure(let error) = outcome else {
            Issue.record("the request was not cancelled")
            return
        }
        #expect((error as? KubeError)?.isCancelled == true)
    }
}
