import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Resumable watch")
struct ResumableWatchTests {
    /// Events seen by the watch thread, in order.
    final class Seen: @unchecked Sendable {
        // `events` is only touched with `lock` held.
        private let lock = ConditionLock()
        private var events: [(WatchEventType, String)] = []

        func add(_ event: WatchEvent) {
            guard event.type != .bookmark else { return }
            lock.withLock { events.append((event.type, event.object.name ?? "")) }
        }

        var all: [(WatchEventType, String)] { lock.withLock { events } }

        func contains(_ type: WatchEventType, _ name: String) -> Bool {
            all.contains { $0.0 == type && $0.1 == name }
        }
    }

    @Test("it lists first, resumes after dropped streams, and relists after 410 with the difference as events")
    func resumesAndRelists() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        _ = try configMaps.create(TestCluster.configMap("existing"))
        let seen = Seen()
        let token = CancellationToken()
        let failure = ResultBox<String>()
        let thread = try KubeThread.spawn(name: "resumable") {
            do throws(KubeError) {
                try configMaps.resumableWatch(cancellation: token) { event in
                    #expect(event.type != .error)
                    seen.add(event)
                    return .continue
                }
                failure.set("")
            } catch {
                failure.set("\(error)")
            }
        }
        defer {
            token.cancel()
            thread.join()
        }
        #expect(eventually(within: 20) { seen.contains(.added, "existing") })

        // A stream that ends (cleanly or abruptly) is resumed: nothing is missed or repeated.
        cluster.server.closeAllWatches(abrupt: true)
        _ = try configMaps.create(TestCluster.configMap("after-drop"))
        #expect(eventually(within: 20) { seen.contains(.added, "after-drop") })
        cluster.server.closeAllWatches(abrupt: false)
        _ = try configMaps.create(TestCluster.configMap("after-end"))
        #expect(eventually(within: 20) { seen.contains(.added, "after-end") })

        // A gap the history no longer covers (410): relist, and the caller gets the difference.
        cluster.server.stallWatches(true)
        _ = try configMaps.delete("existing")
        _ = try configMaps.create(TestCluster.configMap("during-gap"))
        cluster.server.compactHistory()
        cluster.server.closeAllWatches(abrupt: true)
        cluster.server.stallWatches(false)
        #expect(eventually(within: 20) { seen.contains(.deleted, "existing") && seen.contains(.added, "during-gap") })
        let names = seen.all.filter { $0.0 == .added }.map(\.1)
        #expect(names.count == Set(names).count, "no object is added twice: \(names)")
        token.cancel()
        #expect(failure.wait(seconds: 30) == "")
    }

    @Test("a failure resuming cannot fix ends it with that error")
    func permanentFailure() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let missing = cluster.client.resource(apiVersion: "v1", resource: "nothings", namespace: "default")
        let error = #expect(throws: KubeError.self) { try missing.resumableWatch { _ in .continue } }
        #expect(error?.isNotFound == true)
    }
}
