import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("Watch against the test server")
struct WatchIntegrationTests {
    @Test("a watch from a resourceVersion replays later changes in order")
    func watchFromResourceVersion() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion

        _ = try configMaps.create(TestCluster.configMap("a"))
        _ = try configMaps.create(TestCluster.configMap("b"))
        _ = try configMaps.patch("a", ["data": ["k": "v"]], type: .merge)
        try configMaps.delete("b")

        var seen: [String] = []
        var rawSizes: [Int] = []
        try configMaps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 10)) { event in
            seen.append("\(event.type.rawValue) \(event.object.name ?? "?")")
            rawSizes.append(event.rawObject.count)
            return seen.count == 4 ? .stop : .continue
        }
        #expect(seen == ["ADDED a", "ADDED b", "MODIFIED a", "DELETED b"])
        #expect(rawSizes.allSatisfy { $0 > 0 })
    }

    @Test("raw watch events carry the object's JSON text")
    func rawWatch() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion
        _ = try configMaps.create(TestCluster.configMap("raw", data: ["x": "y"]))
        var texts: [String] = []
        try configMaps.watchRaw(ListOptions(resourceVersion: start, timeoutSeconds: 10)) { event in
            texts.append(String(decoding: event.object, as: UTF8.self))
            return .stop
        }
        let object = try JSON.parse(try #require(texts.first))
        #expect(object["metadata"]?["name"]?.stringValue == "raw")
        #expect(object["data"]?["x"]?.stringValue == "y")
    }

    @Test("a watch stream delivers events on its own thread and cancels promptly")
    func watchStream() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion
        let stream = try configMaps.watchStream(ListOptions(resourceVersion: start))
        _ = try configMaps.create(TestCluster.configMap("streamed"))
        let event = try #require(try stream.next())
        #expect(event.type == .added)
        #expect(event.object.name == "streamed")

        // Nothing else will arrive (the watch has no timeout): only the cancel can end the read.
        stream.cancel()
        #expect(try stream.next() == nil)
        stream.close()
    }

    @Test("a watch from a compacted resourceVersion reports 410 Gone")
    func watchGone() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion
        _ = try configMaps.create(TestCluster.configMap("one"))
        _ = try configMaps.create(TestCluster.configMap("two"))
        cluster.server.compactHistory()
        var gone = false
        do {
            try configMaps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 5)) { event in
                if let status = event.status, KubeError.api(status).isGone { gone = true }
                return .stop
            }
        } catch {
            gone = error.isGone
        }
        #expect(gone)
    }

    @Test("a 410 ERROR event ends watch() and watchStream() with Gone, not quietly")
    func errorEventIsGone() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion
        _ = try configMaps.create(TestCluster.configMap("one"))
        cluster.server.compactHistory()
        var delivered: [WatchEventType] = []
        let error = #expect(throws: KubeError.self) {
            try configMaps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 5)) { event in
                delivered.append(event.type)
                return .continue
            }
        }
        #expect(error?.isGone == true)
        #expect(!delivered.contains(.error))

        let stream = try configMaps.watchStream(ListOptions(resourceVersion: start, timeoutSeconds: 5))
        let streamError = #expect(throws: KubeError.self) { while try stream.next() != nil {} }
        #expect(streamError?.isGone == true)
        stream.close()
        // Positive control: from a current resourceVersion the same watch ends quietly.
        try configMaps.watch(ListOptions(resourceVersion: try configMaps.list().resourceVersion, timeoutSeconds: 1)) { _ in .continue }
    }

    @Test("bookmarks arrive when allowed")
    func bookmarks() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        let start = try configMaps.list().resourceVersion
        var types: [WatchEventType] = []
        try configMaps.watch(ListOptions(resourceVersion: start, timeoutSeconds: 10, allowWatchBookmarks: true)) { event in
            types.append(event.type)
            return event.type == .bookmark ? .stop : .continue
        }
        #expect(types.last == .bookmark)
    }
}
