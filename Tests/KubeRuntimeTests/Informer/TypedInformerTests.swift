import Foundation
import KubeClient
import KubeCore
import KubeModels
import KubeTestServer
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// Typed informers (generated models over the shared, byte-caching informer) against the
/// in-memory API server over real sockets.
@Suite("Typed informer against the test server")
struct TypedInformerTests {
    typealias ConfigMap = CoreV1.ConfigMap

    /// What a typed handler received, in order.
    enum Event: Equatable {
        case add(String, data: String?, initial: Bool)
        case update(String, old: String?, new: String?)
        case delete(String, data: String?, finalStateUnknown: Bool)
    }

    /// Records typed events and reported errors from delivery threads.
    final class TypedRecorder: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Event] = []
        private var reported: [String] = []

        static func key(_ cm: ConfigMap) -> String {
            "\(cm.metadata?.namespace ?? "")/\(cm.metadata?.name ?? "")"
        }

        func register(_ informer: TypedInformer<ConfigMap>) throws -> HandlerRegistration {
            try informer.addHandler(
                onAdd: { cm, initial in self.append(.add(Self.key(cm), data: cm.data?["v"], initial: initial)) },
                onUpdate: { old, new in self.append(.update(Self.key(new), old: old.data?["v"], new: new.data?["v"])) },
                onDelete: { cm, unknown in self.append(.delete(Self.key(cm), data: cm.data?["v"], finalStateUnknown: unknown)) })
        }

        func append(_ event: Event) { lock.withLock { recorded.append(event) } }
        func report(_ error: KubeError) { lock.withLock { reported.append("\(error)") } }
        var events: [Event] { lock.withLock { recorded } }
        var errors: [String] { lock.withLock { reported } }
        func contains(_ event: Event) -> Bool { events.contains(event) }
    }

    static func configMap(_ ns: String, _ name: String, _ value: JSON, labels: [String: String] = [:]) -> JSON {
        var metadata: [String: JSON] = ["name": .string(name), "namespace": .string(ns)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues { .string($0) }) }
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata), "data": ["v": value]]
    }

    static func update(_ server: KubeTestServer, _ ns: String, _ name: String, _ value: JSON) throws {
        var existing = try #require(server.get(apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: name))
        existing["data"] = ["v": value]
        try server.update(existing)
    }

    @Test("a typed ConfigMap informer delivers adds, updates and deletes as models")
    func addUpdateDelete() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        try cluster.server.seed(json: Self.configMap("typed", "before", "1"))
        let factory = InformerFactory(client: cluster.client, options: .init(transform: .dropManagedFields))
        defer { factory.shutdown() }
        let informer = try factory.informer(for: ConfigMap.self, namespace: "typed")
        #expect(informer.identity.plural == "configmaps")
        let rec = TypedRecorder()
        let reg = try rec.register(informer)
        #expect(!informer.hasSynced)
        try informer.start()
        #expect(informer.waitForSync(timeout: .seconds(20)))
        #expect(informer.hasSynced && reg.hasSynced)
        #expect(rec.events == [.add("typed/before", data: "1", initial: true)])

        try cluster.server.seed(json: Self.configMap("typed", "after", "a"))
        #expect(eventually { rec.contains(.add("typed/after", data: "a", initial: false)) })
        try Self.update(cluster.server, "typed", "before", "2")
        #expect(eventually { rec.contains(.update("typed/before", old: "1", new: "2")) })
        try cluster.server.delete(apiVersion: "v1", kind: "ConfigMap", namespace: "typed", name: "after")
        #expect(eventually { rec.contains(.delete("typed/after", data: "a", finalStateUnknown: false)) })
        #expect(rec.events == [
            .add("typed/before", data: "1", initial: true),
            .add("typed/after", data: "a", initial: false),
            .update("typed/before", old: "1", new: "2"),
            .delete("typed/after", data: "a", finalStateUnknown: false),
        ])
        #expect(rec.errors.isEmpty)
        informer.stop()
        #expect(informer.informer.isStopped)
        #expect(informer.informer.threads.count == 0)
    }

    @Test("the typed lister lists by label selector and gets by name")
    func typedLister() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        try cluster.server.seed(json: Self.configMap("la", "web-1", "w1", labels: ["app": "web"]))
        try cluster.server.seed(json: Self.configMap("lb", "web-2", "w2", labels: ["app": "web", "tier": "front"]))
        try cluster.server.seed(json: Self.configMap("la", "db-1", "d1", labels: ["app": "db"]))
        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let informer = try factory.informer(for: ConfigMap.self)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))

        let web = try informer.lister.list(LabelSelector(parsing: "app=web"))
        #expect(Set(web.map(TypedRecorder.key)) == ["la/web-1", "lb/web-2"])
        #expect(Set(web.compactMap { $0.data?["v"] }) == ["w1", "w2"])
        let front = try informer.lister.list(LabelSelector(parsing: "app in (web,db),tier=front"))
        #expect(front.map(TypedRecorder.key) == ["lb/web-2"])
        let inA = try informer.lister.namespace("la").list(LabelSelector(parsing: "app"))
        #expect(Set(inA.compactMap { $0.metadata?.name }) == ["web-1", "db-1"])

        let db = try #require(try informer.lister.namespace("la").get("db-1"))
        #expect(db.data == ["v": "d1"])
        #expect(db.metadata?.labels == ["app": "db"])
        #expect(try informer.lister.get("lb/web-2")?.data?["v"] == "w2")
        #expect(try informer.lister.namespace("lb").get("db-1") == nil)
    }

    @Test("typed and dynamic informers of one resource from one factory share one SharedInformer")
    func sharing() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        try cluster.server.seed(json: Self.configMap("share", "one", "1", labels: ["app": "x"]))
        let factory = InformerFactory(client: cluster.client)
        defer { factory.shutdown() }
        let typed = try factory.informer(for: ConfigMap.self)
        let dynamic = try factory.informer(for: InformerServerTests.configMaps)
        #expect(typed.informer === dynamic)
        #expect(try factory.informer(for: ConfigMap.self).informer === dynamic)
        let scoped = try factory.informer(for: ConfigMap.self, namespace: "share", labelSelector: "app=x")
        #expect(scoped.informer === (try factory.informer(for: InformerServerTests.configMaps, namespace: "share",
                                                          labelSelector: "app=x")))
        #expect(scoped.informer !== dynamic)
        // Metadata-only informers cache less than a model needs: never the typed one's.
        #expect(try factory.informer(for: InformerServerTests.configMaps, metadataOnly: true) !== dynamic)
        #expect(factory.informers.count == 3)
        #expect(throws: KubeError.self) { try factory.informer(for: CoreV1.Node.self, namespace: "share") }
        #expect(try factory.informer(for: CoreV1.Node.self).informer ===
                (try factory.informer(for: GroupVersionResource(group: "", version: "v1", resource: "nodes"))))

        // One watch feeds both kinds of handler.
        let rec = TypedRecorder()
        _ = try rec.register(typed)
        let dynamicRec = Recorder()
        try dynamic.addHandler(dynamicRec.handler)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        try cluster.server.seed(json: Self.configMap("share", "two", "2"))
        #expect(eventually { rec.contains(.add("share/two", data: "2", initial: false)) })
        #expect(eventually { dynamicRec.replayed["share/two"] != nil })
        #expect(typed.lister.lister.indexer === dynamic.indexer)
    }

    @Test("an object the model cannot decode is skipped and reported, and delivery goes on")
    func undecodable() throws {
        let cluster = try InformerServerTests.Cluster()
        defer { cluster.stop() }
        // `data` values must be strings: a number does not decode as CoreV1.ConfigMap.
        try cluster.server.seed(json: Self.configMap("bad", "broken", 5))
        try cluster.server.seed(json: Self.configMap("bad", "fine", "ok"))
        let rec = TypedRecorder()
        // Decoding failures arrive through the factory's error handler, beside list/watch ones.
        let factory = InformerFactory(client: cluster.client, options: .init(onWatchError: { key, error in
            if case .decoding = error, key.resource.resource == "configmaps" { rec.report(error) }
        }))
        defer { factory.shutdown() }
        let informer = try factory.informer(for: ConfigMap.self, namespace: "bad")
        _ = try rec.register(informer)
        try factory.start()
        #expect(factory.waitForSync(timeout: .seconds(20)))
        #expect(rec.events == [.add("bad/fine", data: "ok", initial: true)])
        #expect(rec.errors.count == 1)
        #expect(rec.errors.first?.contains("bad/broken") == true)
        #expect(throws: KubeError.self) { try informer.lister.namespace("bad").get("broken") }
        #expect(try informer.lister.namespace("bad").get("fine")?.data?["v"] == "ok")

        // Repaired, the object appears to the typed handler as an add; later changes flow.
        try Self.update(cluster.server, "bad", "broken", "repaired")
        #expect(eventually { rec.contains(.add("bad/broken", data: "repaired", initial: false)) })
        try Self.update(cluster.server, "bad", "fine", "still")
        #expect(eventually { rec.contains(.update("bad/fine", old: "ok", new: "still")) })
        // Broken again: the update is skipped and reported; a delete of it too.
        try Self.update(cluster.server, "bad", "broken", 7)
        #expect(eventually { rec.errors.count == 2 })
        try cluster.server.delete(apiVersion: "v1", kind: "ConfigMap", namespace: "bad", name: "broken")
        #expect(eventually { rec.errors.count == 3 })
        try cluster.server.delete(apiVersion: "v1", kind: "ConfigMap", namespace: "bad", name: "fine")
        #expect(eventually { rec.contains(.delete("bad/fine", data: "still", finalStateUnknown: false)) })
        #expect(rec.events.count == 4)
        #expect(rec.errors.allSatisfy { $0.contains("bad/broken") })
    }
}
