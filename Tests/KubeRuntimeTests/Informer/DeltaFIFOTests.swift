import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime

@Suite("Delta FIFO")
struct DeltaFIFOTests {
    func o(_ ns: String, _ name: String, _ rv: Int, _ labels: [String: String]) -> CachedObject {
        IndexerTests.object(ns, name, rv: rv, labels: labels)
    }

    @Test("deltas are grouped per key in arrival order and keys leave in first-arrival order")
    func ordering() throws {
        let fifo = DeltaFIFO(knownObjects: nil)
        fifo.add(Delta(.updated, o("n", "a", 1, [:])))
        fifo.add(Delta(.replaced, o("n", "b", 2, [:])))
        fifo.add(Delta(.updated, o("n", "a", 3, [:])))
        let batch = try #require(fifo.popAll(timeout: .zero))
        #expect(batch.items.map(\.key) == ["n/a", "n/b"])
        #expect(batch.items[0].deltas.map(\.object.resourceVersion) == ["1", "3"])
        #expect(batch.items[0].deltas.map(\.kind) == [.updated, .updated])
        fifo.done()
    }

    @Test("consecutive deletes collapse, keeping the known final state")
    func collapsesDeletes() throws {
        let fifo = DeltaFIFO(knownObjects: nil)
        fifo.add(Delta(.updated, o("n", "a", 1, [:])))
        fifo.add(Delta(.deleted, o("n", "a", 1, [:]), finalStateUnknown: true))
        fifo.add(Delta(.deleted, o("n", "a", 2, [:])))
        fifo.add(Delta(.deleted, o("n", "a", 3, [:])))
        let batch = try #require(fifo.popAll(timeout: .zero))
        let deltas = batch.items[0].deltas
        #expect(deltas.count == 2)
        #expect(deltas[1].kind == .deleted)
        #expect(deltas[1].finalStateUnknown == false)
        #expect(deltas[1].object.resourceVersion == "2")
    }

    @Test("a relist deletes vanished keys with final_state_unknown and the last known object")
    func replaceDeletesVanished() throws {
        let store = Indexer()
        store.upsert(o("n", "gone", 5, [:]))
        store.upsert(o("n", "kept", 6, [:]))
        let fifo = DeltaFIFO(knownObjects: store)
        fifo.add(Delta(.updated, o("n", "queued", 7, [:])))
        fifo.replace(with: [o("n", "kept", 8, [:]), o("n", "new", 9, [:])])
        let batch = try #require(fifo.popAll(timeout: .zero))
        #expect(batch.containsReplace)
        var byKey: [String: [Delta]] = [:]
        for item in batch.items { byKey[item.key] = item.deltas }
        #expect(byKey["n/kept"]?.map(\.kind) == [.replaced])
        #expect(byKey["n/new"]?.map(\.kind) == [.replaced])
        #expect(byKey["n/gone"]?.map(\.kind) == [.deleted])
        #expect(byKey["n/gone"]?.first?.finalStateUnknown == true)
        #expect(byKey["n/gone"]?.first?.object.resourceVersion == "5")
        #expect(byKey["n/queued"]?.map(\.kind) == [.updated, .deleted])
        #expect(byKey["n/queued"]?.last?.object.resourceVersion == "7")
        #expect(byKey["n/queued"]?.last?.finalStateUnknown == true)
    }

    @Test("closing wakes a blocked consumer")
    func closeWakes() {
        let fifo = DeltaFIFO(knownObjects: nil)
        let done = ConditionLock()
        nonisolated(unsafe) var result: DeltaFIFO.Batch?? = .none
        let t = try? KubeThread.spawn(name: "t") {
            let r = fifo.popAll()
            done.withLock { result = .some(r) }
        }
        fifo.close()
        t?.join()
        #expect(done.withLock { result.map { $0 == nil } } == true)
    }
}
