import Foundation
import KubeClient
import KubeCore
import KubeTestServer
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// client-go's reflector list semantics against the test server: the first list asks the
/// server's cache (resourceVersion=0, answered whole), a relist after 410 or an unavailable
/// cache is consistent (resourceVersion unset) and paged, each page continuing the first
/// page's snapshot.
@Suite("Informer list semantics")
struct InformerListSemanticsTests {
    /// One list call as the informer made it, and what came back.
    struct Call: Sendable, Equatable {
        var resourceVersion: String
        var limit: Int?
        var continued: Bool
        var items: Int
        var pageResourceVersion: String
        var more: Bool
    }

    /// Passes everything to `inner`, recording each list; can refuse the first cached list.
    final class RecordingSource: ListerWatcher, @unchecked Sendable {
        // `calls` and `refuseCache` are only touched with `lock` held.
        private let lock = NSLock()
        private var recorded: [Call] = []
        private var refuseCache: Bool
        let inner: DynamicListerWatcher

        init(inner: DynamicListerWatcher, refuseCache: Bool = false) {
            self.inner = inner
            self.refuseCache = refuseCache
        }

        var calls: [Call] { lock.lock(); defer { lock.unlock() }; return recorded }

        func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
            try list(resourceVersion: "", limit: limit, continueToken: continueToken, cancellation: nil)
        }

        func list(resourceVersion: String, limit: Int?, continueToken: String?,
                  cancellation: CancellationToken?) throws(KubeError) -> RawListPage {
            let refuse = lock.withLock { () -> Bool in
                defer { if resourceVersion == "0" { refuseCache = false } }
                return refuseCache && resourceVersion == "0"
            }
            if refuse {
                // What kube-apiserver answers when its cache is behind the asked version.
                throw KubeError.api(Status(code: 504, reason: .timeout, message: "Too large resource version: 0",
                                           details: StatusDetails(causes: [StatusCause(type: "ResourceVersionTooLarge",
                                                                                       message: "Too large resource version", field: "")])))
            }
            let page = try inner.list(resourceVersion: resourceVersion, limit: limit, continueToken: continueToken,
                                      cancellation: cancellation)
            let call = Call(resourceVersion: resourceVersion, limit: limit, continued: !(continueToken ?? "").isEmpty,
                            items: page.items.count, pageResourceVersion: page.resourceVersion,
                            more: !(page.continueToken ?? "").isEmpty)
            lock.withLock { recorded.append(call) }
            return page
        }

        func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
                   onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
            try inner.watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, cancellation: cancellation,
                            onEvent: onEvent)
        }
    }

    private static func seeded(_ count: Int) throws -> InformerServerTests.Cluster {
        let cluster = try InformerServerTests.Cluster()
        for index in 0..<count { cluster.put("a", "cm-\(index)", "v") }
        return cluster
    }

    private static func source(_ cluster: InformerServerTests.Cluster, refuseCache: Bool = false) -> RecordingSource {
        RecordingSource(inner: DynamicListerWatcher(resource: cluster.client.resource(InformerServerTests.configMaps)
            .namespace("a")), refuseCache: refuseCache)
    }

    @Test("the first list asks the cache (resourceVersion=0) and gets everything in one answer")
    func firstListFromCache() throws {
        let cluster = try Self.seeded(5)
        defer { cluster.stop() }
        let source = Self.source(cluster)
        let informer = SharedInformer(source: source, pageSize: 2)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(20)))
        #expect(informer.lister.list().count == 5)
        #expect(source.calls.count == 1)
        #expect(source.calls.first.map { $0.resourceVersion == "0" && $0.limit == 2 && $0.items == 5 && !$0.more } == true)
    }

    @Test("after a 410 the relist is consistent and paged, every page from the first page's snapshot")
    func relistAfterGoneIsConsistentAndPaged() throws {
        let cluster = try Self.seeded(5)
        defer { cluster.stop() }
        let source = Self.source(cluster)
        let informer = SharedInformer(source: source, pageSize: 2, onWatchError: { _ in })
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(20)))
        // A change the informer misses, then history it can no longer watch from: 410.
        cluster.server.stallWatches(true)
        cluster.put("a", "cm-5", "v")
        cluster.server.compactHistory()
        cluster.server.closeAllWatches(abrupt: true)
        cluster.server.stallWatches(false)
        #expect(eventually(within: 30) { informer.lister.list().count == 6 })
        let relist = Array(source.calls.dropFirst())
        #expect(relist.map(\.resourceVersion) == ["", "", ""])
        #expect(relist.map(\.continued) == [false, true, true])
        #expect(relist.map(\.items) == [2, 2, 2])
        #expect(Set(relist.map(\.pageResourceVersion)).count == 1, "the pages share one snapshot")
    }

    @Test("a cache that cannot answer falls back to a consistent paged list at once")
    func unavailableCacheFallsBack() throws {
        let cluster = try Self.seeded(3)
        defer { cluster.stop() }
        let source = Self.source(cluster, refuseCache: true)
        // A backoff this long would make the sync wait a minute if the fallback slept.
        let informer = SharedInformer(source: source, pageSize: 2, backoff: Backoff(initialDelay: .seconds(60), maxDelay: .seconds(60)),
                                      onWatchError: { _ in })
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(20)))
        #expect(source.calls.map(\.resourceVersion) == ["", ""])
        #expect(source.calls.map(\.continued) == [false, true])
        #expect(informer.lister.list().count == 3)
    }
}

private extension NSLock {
    func withLock<T>(_ body: () -> T) -> T {
        lock()
        defer { unlock() }
        return body()
    }
}

@Suite("Async informer sync")
struct AsyncInformerTests {
    @Test("waitForSync() async returns once synced, and false at once when its Task is cancelled")
    func asyncWaitForSync() async throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        cluster.put("a", "one", "v")
        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let informer = try factory.informer(for: InformerServerTests.configMaps, namespace: "a")
        // Not started: it cannot sync, so only cancellation ends this wait.
        let waiting = Task { await informer.waitForSync() }
        waiting.cancel()
        #expect(await waiting.value == false)
        try factory.start()
        #expect(await factory.waitForSync())
        #expect(informer.lister.list().count == 1)
    }
}
