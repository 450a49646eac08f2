import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

@Suite("Informer churn")
struct InformerChurnTests {
    @Test("under random churn and faults the cache and every handler converge to the server's state")
    func churn() throws {
        let cluster = FakeCluster()
        var rng = SeededGenerator(defaultSeed: 2026)
        let namespaces = (0..<50).map { "ns-\($0)" }
        for i in 0..<200 { cluster.upsert(namespaces[i % 50], "cm-\(i)", data: "init") }
        let errors = Recorder()
        let informer = SharedInformer(
            name: "churn", source: cluster, pageSize: 50, transform: .dropManagedFields,
            backoff: Backoff(initialDelay: .milliseconds(5), maxDelay: .milliseconds(50)),
            onWatchError: { _ in errors.record(.add(IndexerTests.object("e", "e", rv: 0, labels: [:]), isInitialList: false)) })
        let handlers = [Recorder(), Recorder(), Recorder()]
        handlers[2].delay = 0.0002
        for h in handlers { try informer.addHandler(h.handler) }
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(20)))

        var gapDeleted: Set<String> = []
        for step in 0..<3000 {
            let ns = namespaces[Int(rng.next() % 50)]
            let name = "cm-\(rng.next() % 400)"
            switch rng.next() % 100 {
            case 0..<55: cluster.upsert(ns, name, data: "v\(step)")
            case 55..<90: cluster.delete(ns, name)
            case 90..<93: cluster.closeWatches()
            case 93..<95: cluster.compact()
            case 95..<97: cluster.failRequests(2)
            default:
                if let key = cluster.snapshot.keys.randomElement(using: &rng) {
                    let parts = key.split(separator: "/").map(String.init)
                    cluster.deleteDuringGap(parts[0], parts[1])
                    gapDeleted.insert(key)
                }
            }
            if step % 100 == 0 { usleep(1000) }
        }
        let final = cluster.snapshot
        #expect(eventually(within: 30) {
            Dictionary(uniqueKeysWithValues: informer.indexer.list().map { ($0.key, $0.bytes) }) == final
        })
        for (i, h) in handlers.enumerated() {
            #expect(eventually(within: 30) { h.replayed == final }, "handler \(i) replays to the server state")
            #expect(h.regressions.isEmpty, "handler \(i) saw resourceVersions go backwards: \(h.regressions.prefix(3))")
        }
        let unknownDeletes = handlers[0].snapshot.filter { if case .delete(_, true) = $0 { true } else { false } }
        #expect(!gapDeleted.isEmpty)
        #expect(!unknownDeletes.isEmpty, "deletes during gaps arrive with final_state_unknown")
        #expect(errors.count > 0, "faults were reported to the watch-error handler")
    }
}
