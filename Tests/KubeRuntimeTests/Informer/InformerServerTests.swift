import Foundation
import KubeClient
import KubeCore
import KubeTestServer
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// Informers against the in-memory API server, with its fault injection.
@Suite("Informer against the test server")
struct InformerServerTests {
    static let configMaps = GroupVersionResource(group: "", version: "v1", resource: "configmaps")

    /// The shared `TestCluster` with bookmarks every 200 ms and quick retries, plus the
    /// configmap helpers these tests use.
    final class Cluster: Sendable {
        private let cluster: TestCluster
        var server: KubeTestServer { cluster.server }
        var client: KubeClient { cluster.client }

        init() throws {
            var options = TestCluster.defaultOptions
            options.bookmarkInterval = .milliseconds(200)
            cluster = try TestCluster(options: options,
                                      retry: RetryPolicy(maxRetries: 2, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50)))
        }

        func stop() { cluster.stop() }

        func configMap(_ ns: String, _ name: String, _ value: String) -> JSON {
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(ns)],
             "data": ["v": .string(value)]]
        }

        func put(_ ns: String, _ name: String, _ value: String) {
            if var existing = server.get(apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: name) {
                existing["data"] = ["v": .string(value)]
                _ = try? server.update(existing)
            } else {
                _ = try? server.seed(json: configMap(ns, name, value))
            }
        }

        func delete(_ ns: String, _ name: String) {
            try? server.delete(apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: name)
        }

        /// The server's configmaps in `namespaces` as key → (resourceVersion, data).
        func state(_ namespaces: Set<String>) throws -> [String: String] {
            var result: [String: String] = [:]
            for object in try client.resource(InformerServerTests.configMaps).listAll().items {
                guard let ns = object.namespace, namespaces.contains(ns), let name = object.name else { continue }
                result["\(ns)/\(name)"] = object.resourceVersion ?? ""
            }
            return result
        }
    }

    @Test("the factory shares informers, syncs, lists and follows changes from the server")
    func factoryBasics() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        cluster.put("a", "one", "1")
        cluster.put("b", "two", "1")
        let factory = InformerFactory(client: cluster.client, options: .init(transform: .dropManagedFields))
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Self.configMaps)
        #expect(try factory.informer(for: Self.configMaps) === informer)
        #expect(try factory.informer(for: Self.configMaps, namespace: "a") !== informer)
        let rec = Recorder()
        try informer.addHandler(rec.handler)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        #expect(informer.lister.namespace("a").get("one") != nil)
        #expect(factory.informers.count == 2)
        #expect(try factory.informer(for: Self.configMaps, namespace: "a").lister.list().map(\.key) == ["a/one"])
        cluster.put("a", "one", "2")
        cluster.delete("b", "two")
        #expect(eventually { informer.lister.namespace("b").get("two") == nil && rec.count >= 4 })
        factory.shutdown()
        #expect(throws: KubeError.self) { try factory.informer(for: Self.configMaps, namespace: "z") }
        #expect(informer.threads.count == 0)
    }

    @Test("a blackholed watch (connection up, no bytes) is replaced after the idle limit")
    func blackholedWatchIsReplaced() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        // Bookmarks every 200 ms keep a healthy watch well inside a 1.5 s idle limit.
        let factory = InformerFactory(client: cluster.client, options: .init(idleTimeout: .milliseconds(1500)))
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Self.configMaps, namespace: "a")
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        // Positive control: the live watch delivers.
        cluster.put("a", "before", "1")
        #expect(eventually { informer.lister.namespace("a").get("before") != nil })
        cluster.server.blackholeWatches()
        cluster.put("a", "after", "1")
        // The silenced watch can never deliver this: only a new watch (after the idle limit) can.
        #expect(eventually(within: 30) { informer.lister.namespace("a").get("after") != nil })
    }

    @Test("a metadata-only informer asks the server for PartialObjectMetadata and caches metadata only")
    func metadataOnly() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        cluster.put("a", "one", String(repeating: "x", count: 1000))
        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Self.configMaps, metadataOnly: true)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        let object = try #require(informer.lister.namespace("a").get("one"))
        let json = try object.json()
        #expect(json["data"] == nil)
        // The server transformed the objects: full configmaps never crossed the wire.
        #expect(json["kind"] == "PartialObjectMetadata")
        #expect(json["apiVersion"] == "meta.k8s.io/v1")
        #expect(json[path: ["metadata", "name"]] == "one")
        #expect(json[path: ["metadata", "managedFields"]] == nil)
        #expect(object.bytes.count < 600)
        // Watch events are transformed too.
        cluster.put("a", "two", String(repeating: "y", count: 1000))
        #expect(eventually { informer.lister.namespace("a").get("two") != nil })
        let added = try #require(informer.lister.namespace("a").get("two")).json()
        #expect(added["kind"] == "PartialObjectMetadata")
        #expect(added["data"] == nil)
    }

    @Test("a streaming-list informer syncs from sendInitialEvents without a LIST, then follows changes")
    func streamingList() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        for i in 0..<30 { cluster.put("s", "c\(i)", "1") }
        let lists = Counter()
        let client = cluster.client
        let factory = InformerFactory(options: .init(pageSize: 7, streamingList: true)) { key in
            CountingSource(inner: DynamicListerWatcher(resource: client.resource(key.resource).namespace(key.namespace)),
                           lists: lists)
        }
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Self.configMaps, namespace: "s")
        let rec = Recorder()
        try informer.addHandler(rec.handler)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        #expect(informer.lister.list().count == 30)
        #expect(lists.value == 0)
        cluster.put("s", "c0", "2")
        cluster.delete("s", "c1")
        #expect(eventually { informer.lister.list().count == 29 && informer.lister.namespace("s").get("c0")?.resourceVersion
            == cluster.server.get(apiVersion: "v1", kind: "ConfigMap", namespace: "s", name: "c0")?[path: ["metadata", "resourceVersion"]]?.stringValue })
    }

    @Test("churn with faults: the cache and every handler converge to the server's state")
    func churn() throws {
        let cluster = try Cluster()
        defer { cluster.stop() }
        var rng = SeededGenerator(defaultSeed: 5)
        let namespaces = (0..<50).map { "churn-\($0)" }
        for i in 0..<150 { cluster.put(namespaces[i % 50], "cm-\(i)", "init") }
        let factory = InformerFactory(client: cluster.client, options: .init(transform: .dropManagedFields, pageSize: 40))
        defer { factory.shutdown() }
        let informer = try factory.informer(for: Self.configMaps)
        let handlers = [Recorder(), Recorder(), Recorder()]
        handlers[2].delay = 0.001
        for h in handlers { try informer.addHandler(h.handler) }
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        // The slow handler is also held still during the churn: the others must converge anyway.
        handlers[2].closeGate()
        let slowCountBefore = handlers[2].count

        var gapDeletes = 0
        var victims: Set<String> = [], pendingVictims: Set<String> = []
        for step in 0..<5000 {
            // Faults the informer backs off from (an abrupt end, 429, 500 past the client's two
            // retries) come once each near the end: its backoff (800 ms doubling, up to +100 %
            // jitter, reset after 2 healthy minutes) would otherwise keep the watch away for most
            // of the churn and outgrow the test.
            switch step {
            case 4750: cluster.server.closeAllWatches(abrupt: true)
            case 4850: cluster.server.failNext(3, status: 429, retryAfterSeconds: 0)
            case 4950: cluster.server.failNext(3, status: 500, retryAfterSeconds: 0)
            default: break
            }
            let ns = namespaces[Int(rng.next() % 50)]
            let name = "cm-\(rng.next() % 300)"
            switch rng.next() % 100 {
            case 0..<55:
                if pendingVictims.contains("\(ns)/\(name)") {
                    // Recreated before the informer relisted, its delete would become an update:
                    // wait until the cache has dropped it.
                    #expect(eventually(within: 60) { informer.lister.namespace(ns).get(name) == nil })
                    pendingVictims.remove("\(ns)/\(name)")
                }
                cluster.put(ns, name, "v\(step)")
            case 55..<92: cluster.delete(ns, name)
            case 92..<94: cluster.server.closeAllWatches(abrupt: false)
            case 94..<95: cluster.server.compactHistory()
            case 95..<97: cluster.server.compactHistory()
            case 97..<98:
                cluster.server.stallWatches(true)
                usleep(20_000)
                cluster.server.stallWatches(false)
            default:
                // A deletion the informer can only learn of by relisting.
                if let victim = informer.lister.list().randomElement(using: &rng) {
                    cluster.server.stallWatches(true)
                    cluster.delete(victim.namespace, victim.name)
                    cluster.server.compactHistory()
                    cluster.server.closeAllWatches(abrupt: false)
                    cluster.server.stallWatches(false)
                    gapDeletes += 1
                    victims.insert(victim.key)
                    pendingVictims.insert(victim.key)
                }
            }
        }
        cluster.server.resetFaults()
        let final = try cluster.state(Set(namespaces))
        let cacheMatches = eventually(within: 30) {
            Dictionary(uniqueKeysWithValues: informer.lister.list().map { ($0.key, $0.resourceVersion) }) == final
        }
        #expect(cacheMatches, "cache equals the server's state")
        for (i, h) in handlers.enumerated() {
            if i == 2 {
                // The fast handlers got everything while the slow one was stuck on one event.
                #expect(h.count <= slowCountBefore + 1, "the slow handler was held during the churn")
                h.openGate()
            }
            let replayMatches = eventually(within: 60) {
                h.replayed.mapValues { (try? CachedObject(bytes: $0).resourceVersion) ?? "" } == final
            }
            #expect(replayMatches, "handler \(i) replays to the server's state")
            #expect(h.regressions.isEmpty, "handler \(i): \(h.regressions.prefix(3))")
        }
        let unknown = handlers[0].snapshot.filter { if case .delete(_, true) = $0 { true } else { false } }
        #expect(gapDeletes > 0)
        for (i, h) in handlers.enumerated() {
            let unknownKeys = Set(h.snapshot.compactMap { if case .delete(let o, true) = $0 { o.key } else { nil } })
            #expect(victims.isSubset(of: unknownKeys), "handler \(i): gap deletes without final_state_unknown: \(victims.subtracting(unknownKeys).prefix(3))")
        }
        #expect(!unknown.isEmpty, "deletions during gaps arrive with final_state_unknown")
    }
}


/// Passes everything to `inner`, counting paged LISTs.
struct CountingSource: ListerWatcher {
    let inner: any ListerWatcher
    let lists: Counter

    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
        lists.bump()
        return try inner.list(limit: limit, continueToken: continueToken)
    }

    func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
               onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
        try inner.watch(resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, cancellation: cancellation,
                        onEvent: onEvent)
    }

    func watchList(timeoutSeconds: Int, cancellation: CancellationToken,
                   onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
        try inner.watchList(timeoutSeconds: timeoutSeconds, cancellation: cancellation, onEvent: onEvent)
    }
}
