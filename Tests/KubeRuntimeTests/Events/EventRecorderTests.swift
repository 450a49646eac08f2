import KubeClient
import KubeCore
import KubeRuntime
import KubeTestServer
import Testing

@Suite("Event recorder against the test server")
struct EventRecorderTests {
    @Test("events are written, repeats aggregate into a count, and a hot loop is rate limited")
    func recordAggregateLimit() throws {
        let cluster = try LeaderElectorTests.makeCluster()
        defer { cluster.stop() }
        let client = cluster.client
        let clock = ManualRuntimeClock()
        let recorder = EventRecorder(client: client, component: "test-controller", host: "node-1", burst: 3, clock: clock)
        let object = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "cm1", uid: "u-1")

        #expect(recorder.record(object, type: .normal, reason: "Synced", message: "all good"))
        #expect(recorder.record(object, type: .normal, reason: "Synced", message: "all good"))
        #expect(recorder.record(object, type: .warning, reason: "Failed", message: "boom"))
        #expect(!recorder.record(object, type: .warning, reason: "Failed", message: "boom"), "burst of 3 used up")
        #expect(recorder.flush())
        #expect(recorder.dropped == 1)

        let events = try client.resource(GroupVersionResource(group: "", version: "v1", resource: "events"))
            .namespace("default").list().items
        #expect(events.count == 2)
        let syncedEvent = events.first { $0.object["reason"]?.stringValue == "Synced" }
        let synced = try #require(syncedEvent)
        #expect(synced.object["count"]?.intValue == 2)
        #expect(synced.object["type"]?.stringValue == "Normal")
        #expect(synced.object["involvedObject"]?["name"]?.stringValue == "cm1")
        #expect(synced.object["source"]?["component"]?.stringValue == "test-controller")
        let failedEvent = events.first { $0.object["reason"]?.stringValue == "Failed" }
        let failed = try #require(failedEvent)
        #expect(failed.object["type"]?.stringValue == "Warning")
        #expect(failed.object["message"]?.stringValue == "boom")

        // Tokens come back with time: one per 5 minutes by default.
        clock.step(.seconds(300))
        #expect(recorder.record(object, type: .warning, reason: "Failed", message: "boom"))
        recorder.stop()
        #expect(!recorder.record(object, type: .normal, reason: "Late", message: "after stop"))
        let again = try client.resource(GroupVersionResource(group: "", version: "v1", resource: "events"))
            .namespace("default").list().items
        #expect(again.first { $0.object["reason"]?.stringValue == "Failed" }?.object["count"]?.intValue == 2)
    }
}
