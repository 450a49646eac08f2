import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// The informer's list consumed as it arrives: items are split from the body as libcurl
/// delivers it and encoded into the cache form one by one, the body never held whole.
@Suite("Streamed informer lists")
struct StreamedListTests {
    /// A source whose streamed list hands on `items` and then fails with `failure` (if any).
    final class FailingMidList: ListerWatcher, @unchecked Sendable {
        let items: [[UInt8]]
        let failure: KubeError?
        init(items: [[UInt8]], failure: KubeError?) {
            self.items = items
            self.failure = failure
        }

        func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
            RawListPage(items: items, resourceVersion: "9", continueToken: nil)
        }

        func list(resourceVersion: String, limit: Int?, continueToken: String?, cancellation: CancellationToken?,
                  onItem: ([UInt8]) throws(KubeError) -> Void) throws(KubeError) -> RawListPage {
            for item in items { try onItem(item) }
            if let failure { throw failure }
            return RawListPage(items: [], resourceVersion: "9", continueToken: nil)
        }

        func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
                   onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {}
    }

    static func pods(_ count: Int) -> [[UInt8]] {
        (0..<count).map { FakeCluster.configMap("n", "cm-\($0)", rv: $0 + 1, data: "x") }
    }

    @Test("many items against the test server: all cached, completed with the list's kind and apiVersion")
    func manyItems() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        let count = 1500
        let filler = String(repeating: "d", count: 600)
        for index in 0..<count { cluster.put("a", "cm-\(index)", "\(index)-\(filler)") }
        let source = DynamicListerWatcher(resource: cluster.client.resource(InformerServerTests.configMaps).namespace("a"))
        var names: [String] = []
        let page = try source.list(resourceVersion: "0", limit: 500, continueToken: nil, cancellation: nil) {
            (item) throws(KubeError) in
            let object = try CachedObject(bytes: item)
            let json = try object.json()
            #expect(json["kind"] == "ConfigMap" && json["apiVersion"] == "v1")
            names.append(object.name)
        }
        #expect(names.count == count, "resourceVersion=0 is answered whole, limit ignored")
        #expect(Set(names) == Set((0..<count).map { "cm-\($0)" }))
        #expect(page.items.isEmpty && !page.resourceVersion.isEmpty && (page.continueToken ?? "").isEmpty)
        // The page form gives the same items.
        let whole = try source.list(resourceVersion: "0", limit: nil, continueToken: nil, cancellation: nil)
        #expect(whole.items.count == count)

        let informer = SharedInformer(source: source)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(60)))
        #expect(informer.lister.list().count == count)
    }

    @Test("an error thrown for an item mid-list ends the transfer and is rethrown")
    func consumerErrorMidList() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        for index in 0..<300 { cluster.put("a", "cm-\(index)", String(repeating: "v", count: 500)) }
        let source = DynamicListerWatcher(resource: cluster.client.resource(InformerServerTests.configMaps).namespace("a"))
        var seen = 0
        #expect(throws: KubeError.self) {
            _ = try source.list(resourceVersion: "0", limit: nil, continueToken: nil, cancellation: nil) { (_) throws(KubeError) in
                seen += 1
                if seen == 100 { throw KubeError.decoding("stop at 100") }
            }
        }
        #expect(seen == 100)
        // Positive control: the same list goes through when nothing throws.
        var all = 0
        _ = try source.list(resourceVersion: "0", limit: nil, continueToken: nil, cancellation: nil) { (_) throws(KubeError) in all += 1 }
        #expect(all == 300)
    }

    @Test("a list failing mid-body hands nothing of its page to the store and keeps the state")
    func failureMidListKeepsState() {
        let failing = FailingMidList(items: Self.pods(50), failure: .decoding("the list body ended early (truncated)"))
        var events: [WatcherEvent] = []
        let watcher = Watcher(source: failing)
        for state in [WatcherState.listingFromCache, .listing(continueToken: nil), .listing(continueToken: "t")] {
            events = []
            let (error, next) = watcher.step(state, cancellation: CancellationToken()) { events.append($0) }
            #expect(error != nil && next == state)
            #expect(events.isEmpty)
        }
        // Positive control: without the failure the page is applied whole.
        let good = Watcher(source: FailingMidList(items: Self.pods(50), failure: nil))
        events = []
        let (error, next) = good.step(.listingFromCache, cancellation: CancellationToken()) { events.append($0) }
        #expect(error == nil && next == .listed(resourceVersion: "9"))
        guard case .initApply(let objects)? = events.first else {
            Issue.record("expected one initApply, got \(events)")
            return
        }
        #expect(objects.count == 50)
    }

    @Test("items before the list's kind are completed at the end of the body")
    func itemsBeforeKind() throws {
        let body = #"{"items":[{"metadata":{"name":"a"}},{"kind":"K","apiVersion":"g/v","metadata":{"name":"b"}}],"# +
            #""apiVersion":"v1","kind":"ConfigMapList","metadata":{"resourceVersion":"3"}}"#
        let page = try RawListPage(body: Array(body.utf8))
        #expect(page.resourceVersion == "3" && page.items.count == 2)
        let kinds = try page.items.map { try JSON.parse(bytes: $0)["kind"]?.stringValue }
        #expect(Set(kinds.compactMap { $0 }) == ["ConfigMap", "K"])
        #expect(throws: KubeError.self) { try RawListPage(body: Array(body.utf8.dropLast())) }
    }
}
