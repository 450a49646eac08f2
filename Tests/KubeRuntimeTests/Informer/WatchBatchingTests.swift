import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// The hand-offs of the watch path move batches, not single events (issue 17): the FIFO
/// wakes its consumer only when it was empty, and a handler's thread takes everything queued
/// at once. These check that batching keeps order, update pairs, deletes and removal.
@Suite("Watch batching")
struct WatchBatchingTests {
    func o(_ ns: String, _ name: String, _ rv: Int) -> CachedObject {
        IndexerTests.object(ns, name, rv: rv, labels: [:])
    }

    @Test("add(contentsOf:) queues exactly what one add per delta queues")
    func addContentsOfMatchesAdds() throws {
        let deltas = [
            Delta(.updated, o("n", "a", 1)), Delta(.updated, o("n", "b", 2)), Delta(.updated, o("n", "a", 3)),
            Delta(.deleted, o("n", "b", 4), finalStateUnknown: true), Delta(.deleted, o("n", "b", 5)),
            Delta(.updated, o("n", "c", 6)),
        ]
        let one = DeltaFIFO(knownObjects: nil)
        for d in deltas { one.add(d) }
        let many = DeltaFIFO(knownObjects: nil)
        many.add(contentsOf: deltas.prefix(2))
        many.add(contentsOf: deltas.dropFirst(2))
        let a = try #require(one.popAll(timeout: .zero))
        let b = try #require(many.popAll(timeout: .zero))
        #expect(b.items.map(\.key) == ["n/a", "n/b", "n/c"])
        #expect(a.items.map(\.key) == b.items.map(\.key))
        for (x, y) in zip(a.items, b.items) {
            #expect(x.deltas.map(\.kind) == y.deltas.map(\.kind))
            #expect(x.deltas.map(\.object.resourceVersion) == y.deltas.map(\.object.resourceVersion))
            #expect(x.deltas.map(\.finalStateUnknown) == y.deltas.map(\.finalStateUnknown))
        }
        // The collapsed deletes keep the known final state.
        #expect(b.items[1].deltas.map(\.object.resourceVersion) == ["2", "5"])
    }

    @Test("a blocked consumer sees every delta, whether it was waiting or busy when each arrived")
    func noLostWakeUps() throws {
        let fifo = DeltaFIFO(knownObjects: nil)
        let total = 2000
        let seen = ConditionLock()
        nonisolated(unsafe) var order: [Int] = []
        let consumer = try KubeThread.spawn(name: "consumer") {
            while true {
                // No timeout: a lost wake-up would hang here and fail the wait below.
                guard let batch = fifo.popAll() else { return }
                seen.withLock {
                    for item in batch.items { order += item.deltas.compactMap { Int($0.object.resourceVersion) } }
                }
                seen.broadcast()
                fifo.done()
            }
        }
        for i in 0..<total {
            // Distinct keys, so each delta is a new key: order across batches is checkable.
            if i % 3 == 0 {
                fifo.add(contentsOf: [Delta(.updated, o("n", "k\(i)", i))])
            } else {
                fifo.add(Delta(.updated, o("n", "k\(i)", i)))
            }
        }
        #expect(eventually(within: 60) { seen.withLock { order.count == total } })
        fifo.close()
        consumer.join()
        #expect(seen.withLock { order } == Array(0..<total))
    }

    @Test("batched delivery keeps per-object order, update pairs and deletes with the final state")
    func deliveryKeepsSemantics() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "seed", data: "x")
        let informer = SharedInformer(name: "test", source: cluster, pageSize: 3, idleTimeout: .seconds(660),
                                      backoff: Backoff(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
                                      onWatchError: { _ in })
        let rec = Recorder()
        let reg = try informer.addHandler(rec.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        // Hold the handler so that many events queue up and are taken as one batch.
        rec.closeGate()
        for round in 0..<20 {
            for k in 0..<5 { cluster.upsert("n", "o\(k)", data: "r\(round)") }
            if round % 4 == 3 { cluster.delete("n", "o\(round % 5)") }
        }
        #expect(eventually { reg.pendingCount > 1 })
        rec.openGate()
        #expect(eventually { rec.replayed == cluster.snapshot })
        #expect(rec.regressions.isEmpty)
        // Every update's old object is the object this handler saw last for that key.
        var last: [String: [UInt8]] = [:]
        for event in rec.snapshot {
            switch event {
            case .add(let object, _):
                #expect(last[object.key] == nil)
                last[object.key] = object.bytes
            case .update(let old, let new):
                #expect(last[new.key] == old.bytes)
                last[new.key] = new.bytes
            case .delete(let object, let unknown):
                #expect(!unknown)
                #expect(last[object.key] != nil)
                last[object.key] = nil
            }
        }
    }

    @Test("a handler that removes itself mid-batch gets nothing after its removal")
    func removalMidBatch() throws {
        let cluster = FakeCluster()
        let informer = SharedInformer(name: "test", source: cluster, pageSize: 3, idleTimeout: .seconds(660),
                                      backoff: Backoff(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
                                      onWatchError: { _ in })
        let lock = ConditionLock()
        nonisolated(unsafe) var calls = 0
        nonisolated(unsafe) var registration: HandlerRegistration?
        let gate = Recorder()
        let reg = try informer.addHandler(ResourceEventHandler { [informer] event in
            gate.handler.deliver(event)  // held while the gate is closed: events pile up
            let n = lock.withLock { () -> Int in
                calls += 1
                return calls
            }
            if n == 3, let r = lock.withLock({ registration }) { informer.removeHandler(r) }
        })
        lock.withLock { registration = reg }
        let control = Recorder()
        _ = try informer.addHandler(control.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        gate.closeGate()
        for k in 0..<10 { cluster.upsert("n", "o\(k)", data: "x") }
        #expect(eventually { control.count == 10 })
        gate.openGate()
        #expect(eventually { reg.isDeliveryFinished })
        #expect(lock.withLock { calls } == 3)
    }
}
