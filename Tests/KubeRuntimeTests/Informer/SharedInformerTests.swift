import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

@Suite("Shared informer")
struct SharedInformerTests {
    func makeInformer(_ cluster: FakeCluster, idle: Duration = .seconds(660), indexers: [String: IndexFunction] = [:]) -> SharedInformer {
        SharedInformer(name: "test", source: cluster, pageSize: 3, indexers: indexers, idleTimeout: idle,
                       backoff: Backoff(initialDelay: .milliseconds(10), maxDelay: .milliseconds(50)), onWatchError: { _ in })
    }

    @Test("the cache syncs, then follows adds, updates and deletes")
    func followsChanges() throws {
        let cluster = FakeCluster()
        for i in 0..<10 { cluster.upsert("n\(i % 2)", "c\(i)", data: "x") }
        let informer = makeInformer(cluster)
        let rec = Recorder()
        let reg = try informer.addHandler(rec.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(reg.hasSynced)
        #expect(informer.indexer.count == 10)
        #expect(rec.snapshot.allSatisfy { if case .add(_, true) = $0 { true } else { false } })
        cluster.upsert("n0", "c0", data: "y")
        cluster.delete("n1", "c1")
        cluster.upsert("n1", "new", data: "z")
        #expect(eventually { rec.replayed == cluster.snapshot })
        #expect(informer.lister.namespace("n1").get("new") != nil)
        #expect(informer.lister.namespace("n1").get("c1") == nil)
        let events = rec.snapshot.suffix(3)
        guard case .update(let old, let new) = events[events.startIndex] else { Issue.record("expected update"); return }
        #expect(old.resourceVersion == "101" && new.resourceVersion == "111")
        guard case .delete(_, false) = events[events.startIndex + 1] else { Issue.record("expected delete"); return }
        guard case .add(_, false) = events[events.startIndex + 2] else { Issue.record("expected add"); return }
    }

    @Test("a handler added late first gets an Add for every cached object, then live events")
    func lateHandler() throws {
        let cluster = FakeCluster()
        for i in 0..<7 { cluster.upsert("n", "c\(i)", data: "x") }
        let informer = makeInformer(cluster)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        let rec = Recorder()
        let reg = try informer.addHandler(rec.handler)
        #expect(eventually { reg.hasSynced })
        #expect(rec.count == 7)
        cluster.upsert("n", "c7", data: "x")
        #expect(eventually { rec.replayed == cluster.snapshot })
    }

    @Test("resync re-delivers every cached object as an update, when the clock reaches the period")
    func resync() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "x")
        let clock = ManualRuntimeClock()
        let informer = SharedInformer(name: "test", source: cluster, pageSize: 3, clock: clock, onWatchError: { _ in })
        let rec = Recorder()
        try informer.addHandler(rec.handler, resyncPeriod: .seconds(30))
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        let isResync = { (e: InformerEvent) -> Bool in if case .update(let o, let n) = e { o == n } else { false } }
        // The delivery thread has delivered the Add and sleeps on the clock until the period.
        #expect(eventually { rec.count == 1 && clock.sleepers == 1 })
        clock.step(.seconds(29))
        #expect(eventually { clock.sleepers == 1 })
        #expect(!rec.snapshot.contains(where: isResync))
        // Positive control: the last second brings the resync.
        clock.step(.seconds(1))
        #expect(eventually { rec.snapshot.contains(where: isResync) })
    }

    @Test("after a failed list the informer retries when the clock has moved past the backoff")
    func backoffOnClock() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "x")
        cluster.failRequests(1)
        let clock = ManualRuntimeClock()
        let errors = Locked(0)
        let informer = SharedInformer(name: "test", source: cluster, backoff: Backoff(initialDelay: .seconds(5), maxDelay: .seconds(5), jitter: 0),
                                      clock: clock, onWatchError: { _ in errors.withLock { $0 += 1 } })
        try informer.start()
        defer { informer.stop() }
        // The reflector failed once and sleeps out its backoff on the clock.
        #expect(eventually { errors.withLock { $0 } == 1 && clock.sleepers == 1 })
        clock.step(.seconds(4))
        #expect(eventually { clock.sleepers == 1 })
        #expect(!informer.hasSynced)
        #expect(cluster.lock.withLock { cluster.listCalls } == 1)
        // Positive control: reaching the backoff's end relists and syncs.
        clock.step(.seconds(1))
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(cluster.lock.withLock { cluster.listCalls } == 2)
    }

    @Test("has-synced turns true only after the initial list was delivered to the handler")
    func hasSyncedWaitsForDelivery() throws {
        let cluster = FakeCluster()
        for i in 0..<5 { cluster.upsert("n", "c\(i)", data: "x") }
        let informer = makeInformer(cluster)
        let rec = Recorder()
        rec.delay = 0.05
        let reg = try informer.addHandler(rec.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(eventually { informer.hasSynced })
        #expect(!reg.hasSynced)
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(reg.hasSynced)
        #expect(rec.count >= 5)
    }

    @Test("a slow handler does not hold back the others")
    func slowHandler() throws {
        let cluster = FakeCluster()
        let informer = makeInformer(cluster)
        let slow = Recorder()
        slow.delay = 0.2
        let fast = Recorder()
        try informer.addHandler(slow.handler)
        try informer.addHandler(fast.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(eventually { informer.hasSynced })
        for i in 0..<20 { cluster.upsert("n", "c\(i)", data: "x") }
        #expect(eventually(within: 2) { fast.count == 20 })
        #expect(slow.count < 20)
    }

    @Test("stop joins every thread the informer started, also when called from a callback")
    func stopJoins() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "x")
        let informer = makeInformer(cluster)
        for _ in 0..<3 { try informer.addHandler(Recorder().handler) }
        let stopper = ResourceEventHandler(onAdd: { [informer] _, _ in informer.stop() })
        try informer.addHandler(stopper)
        try informer.start()
        #expect(eventually { informer.isStopped })
        informer.stop()
        // Every thread but possibly the stopping handler's (which returns right after) is joined.
        #expect(eventually(within: 2) { informer.threads.count == 0 })

        let second = makeInformer(cluster)
        try second.addHandler(Recorder().handler)
        try second.start()
        #expect(second.waitForSync(timeout: .seconds(10)))
        #expect(second.threads.count == 3)
        second.stop()
        #expect(second.threads.count == 0)
        #expect(throws: KubeError.self) { try second.addHandler(Recorder().handler) }
    }

    @Test("removing a handler stops its deliveries")
    func removal() throws {
        let cluster = FakeCluster()
        let informer = makeInformer(cluster)
        let rec = Recorder()
        let reg = try informer.addHandler(rec.handler)
        // The positive control: a handler that stays sees the event the removed one must not.
        let control = Recorder()
        let kept = try informer.addHandler(control.handler)
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        informer.removeHandler(reg)
        #expect(reg.isClosed)
        cluster.upsert("n", "a", data: "x")
        #expect(eventually { control.count == 1 })
        #expect(rec.count == 0)
        informer.removeHandler(kept)
        #expect(informer.threads.count == 2)
    }

    @Test("pull mode queues events behind a pollable descriptor")
    func pullMode() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "x")
        let informer = makeInformer(cluster)
        let reg = try informer.addPullRegistration()
        #expect(reg.fileDescriptor >= 0)
        try informer.start()
        defer { informer.stop() }
        var pfd = pollfd(fd: reg.fileDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pfd, 1, 5000) == 1)
        guard case .event(.add(let o, true)) = reg.nextEvent() else { Issue.record("expected add"); return }
        #expect(o.key == "n/a")
        guard case .empty = reg.nextEvent() else { Issue.record("expected empty"); return }
        pfd.revents = 0
        #expect(poll(&pfd, 1, 0) == 0, "drained descriptor is not readable")
        #expect(informer.waitForSync(timeout: .seconds(5)))
        cluster.delete("n", "a")
        #expect(poll(&pfd, 1, 5000) == 1)
        guard case .event(.delete(_, false)) = reg.nextEvent() else { Issue.record("expected delete"); return }
        informer.removeHandler(reg)
        guard case .closed = reg.nextEvent() else { Issue.record("expected closed"); return }
        #expect(poll(&pfd, 1, 0) == 1, "a closed registration polls readable")
    }

    @Test("user indexes are queryable through the informer's store")
    func indexFunctions() throws {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "x", labels: ["app": "web"])
        cluster.upsert("m", "b", data: "x", labels: ["app": "web"])
        cluster.upsert("m", "c", data: "x", labels: ["app": "db"])
        let informer = makeInformer(cluster, indexers: ["app": IndexerTests.byApp])
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(Set(try informer.indexer.indexKeys("app", "web")) == ["n/a", "m/b"])
        #expect(informer.lister.namespace("m").list().count == 2)
    }

    @Test("a silent watch is re-established after the idle limit")
    func idleWatch() throws {
        let cluster = FakeCluster()
        let informer = makeInformer(cluster, idle: .milliseconds(200))
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(eventually { cluster.lock.withLock { cluster.watchCalls } >= 3 })
        #expect(cluster.lock.withLock { cluster.listCalls } == 1)
    }
}
