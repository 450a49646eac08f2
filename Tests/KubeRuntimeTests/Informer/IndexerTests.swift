import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

@Suite("Indexed store")
struct IndexerTests {
    static func object(_ ns: String, _ name: String, rv: Int = 1, labels: [String: String] = [:]) -> CachedObject {
        // Force-unwrapping is fine in tests: the fixture is always valid.
        try! CachedObject(bytes: FakeCluster.configMap(ns, name, rv: rv, data: "d", labels: labels))
    }

    static let byApp: IndexFunction = { o in o.labels["app"].map { [$0] } ?? [] }

    @Test("the namespace index and user indexes answer by-index queries")
    func indexes() throws {
        let store = Indexer(indexers: ["app": Self.byApp])
        store.upsert(Self.object("a", "x", labels: ["app": "web"]))
        store.upsert(Self.object("a", "y", labels: ["app": "db"]))
        store.upsert(Self.object("b", "x", labels: ["app": "web"]))
        #expect(Set(try store.indexKeys("namespace", "a")) == ["a/x", "a/y"])
        #expect(Set(try store.byIndex("app", "web").map(\.key)) == ["a/x", "b/x"])
        #expect(Set(try store.indexValues("app")) == ["web", "db"])
        // An update moves the key between index values.
        store.upsert(Self.object("a", "x", rv: 2, labels: ["app": "db"]))
        #expect(Set(try store.indexKeys("app", "db")) == ["a/x", "a/y"])
        #expect(try store.indexKeys("app", "web") == ["b/x"])
        store.remove(key: "a/y")
        #expect(try store.indexKeys("app", "db") == ["a/x"])
        #expect(throws: KubeError.self) { try store.byIndex("nope", "x") }
        #expect(throws: KubeError.self) { try store.addIndexers(["namespace": Self.byApp]) }
    }

    @Test("indexes added later cover existing objects")
    func lateIndexers() throws {
        let store = Indexer()
        store.upsert(Self.object("a", "x", labels: ["app": "web"]))
        try store.addIndexers(["app": Self.byApp])
        #expect(try store.indexKeys("app", "web") == ["a/x"])
    }

    @Test("replace swaps the whole contents and rebuilds indexes")
    func replace() throws {
        let store = Indexer(indexers: ["app": Self.byApp])
        store.upsert(Self.object("a", "x", labels: ["app": "web"]))
        store.replace(with: [Self.object("c", "z", labels: ["app": "api"])])
        #expect(store.listKeys() == ["c/z"])
        #expect(try store.indexKeys("app", "web").isEmpty)
        #expect(try store.indexKeys("namespace", "a").isEmpty)
        #expect(try store.indexKeys("app", "api") == ["c/z"])
    }

    @Test("listers filter by label selector and namespace")
    func listers() throws {
        let store = Indexer()
        store.upsert(Self.object("a", "x", labels: ["app": "web"]))
        store.upsert(Self.object("a", "y", labels: ["app": "db"]))
        store.upsert(Self.object("b", "x", labels: ["app": "web"]))
        let lister = Lister(indexer: store)
        #expect(lister.list().count == 3)
        #expect(Set(lister.list(try LabelSelector(parsing: "app=web")).map(\.key)) == ["a/x", "b/x"])
        #expect(lister.namespace("a").list(try LabelSelector(parsing: "app!=web")).map(\.key) == ["a/y"])
        #expect(lister.namespace("b").get("x")?.key == "b/x")
        #expect(lister.namespace("b").get("y") == nil)
        #expect(lister.get("a/y")?.name == "y")
    }

    @Test("a random stream of changes keeps items and indexes consistent")
    func randomInvariant() throws {
        var rng = SeededGenerator(defaultSeed: 7)
        let store = Indexer(indexers: ["app": Self.byApp])
        var model: [String: CachedObject] = [:]
        let apps = ["web", "db", "api", "cache"]
        for step in 0..<100_000 {
            let ns = "ns\(rng.next() % 5)"
            let name = "o\(rng.next() % 40)"
            let key = "\(ns)/\(name)"
            switch rng.next() % 10 {
            case 0..<6:
                let o = Self.object(ns, name, rv: step, labels: ["app": apps[Int(rng.next() % 4)]])
                store.upsert(o)
                model[key] = o
            case 6..<9:
                store.remove(key: key)
                model[key] = nil
            default:
                // A relist-style batch.
                let o = Self.object(ns, name, rv: step)
                store.apply([.upsert(o), .remove(key: "ns0/o0")])
                model[key] = o
                if key != "ns0/o0" { model["ns0/o0"] = nil } else { model[key] = nil }
            }
        }
        #expect(store.count == model.count)
        let keys = store.listKeys()
        #expect(Set(keys).count == keys.count, "no duplicate keys")
        for (key, object) in model { #expect(store.get(key: key) == object) }
        for app in apps {
            let expected = Set(model.values.filter { $0.labels["app"] == app }.map(\.key))
            #expect(Set(try store.indexKeys("app", app)) == expected)
        }
        for n in 0..<5 {
            let expected = Set(model.values.filter { $0.namespace == "ns\(n)" }.map(\.key))
            #expect(Set(try store.indexKeys("namespace", "ns\(n)")) == expected)
        }
        // No empty index buckets linger.
        for value in try store.indexValues("app") { #expect(!(try store.indexKeys("app", value)).isEmpty) }
    }
}


@Suite("Typed listers")
struct TypedListerTests {
    struct ConfigMap: Decodable, Sendable {
        struct Meta: Decodable, Sendable { var name: String; var namespace: String? }
        var metadata: Meta
        var data: [String: String]?
    }

    @Test("typed listers decode cached objects into models")
    func typed() throws {
        let store = Indexer()
        store.upsert(IndexerTests.object("a", "x", labels: ["app": "web"]))
        let lister = TypedLister(Lister(indexer: store), as: ConfigMap.self)
        let all = try lister.list()
        #expect(all.map(\.metadata.name) == ["x"])
        #expect(try lister.namespace("a").get("x")?.data?["v"] == "d")
        #expect(try lister.get("a/y") == nil)
    }
}

@Suite("Listers under concurrent reads")
struct ConcurrentListerTests {
    @Test("readers see consistent snapshots while a writer churns and relists")
    func concurrentReads() throws {
        let store = Indexer(indexers: ["app": IndexerTests.byApp])
        let lister = Lister(indexer: store)
        let selector = try LabelSelector(parsing: "app=web")
        let stop = ConditionLock()
        nonisolated(unsafe) var done = false
        nonisolated(unsafe) var problems = 0
        let readers = (0..<3).compactMap { _ in
            try? KubeThread.spawn(name: "reader") {
                while !stop.withLock({ done }) {
                    let all = lister.list()
                    let keys = all.map(\.key)
                    let web = lister.list(selector)
                    let ns = lister.namespace("ns1").list()
                    let bad = Set(keys).count != keys.count || web.contains { $0.labels["app"] != "web" }
                        || ns.contains { $0.namespace != "ns1" }
                    if bad { stop.withLock { problems += 1 } }
                }
            }
        }
        var rng = SeededGenerator(defaultSeed: 3)
        for step in 0..<20_000 {
            let key = (ns: "ns\(rng.next() % 3)", name: "o\(rng.next() % 50)")
            if step % 1000 == 999 {
                store.replace(with: (0..<30).map { IndexerTests.object("ns\($0 % 3)", "o\($0)", rv: step, labels: ["app": "web"]) })
            } else if rng.next() % 3 == 0 {
                store.remove(key: "\(key.ns)/\(key.name)")
            } else {
                store.upsert(IndexerTests.object(key.ns, key.name, rv: step, labels: ["app": rng.next() % 2 == 0 ? "web" : "db"]))
            }
        }
        stop.withLock { done = true }
        for reader in readers { reader.join() }
        #expect(readers.count == 3)
        #expect(stop.withLock { problems } == 0)
    }
}
