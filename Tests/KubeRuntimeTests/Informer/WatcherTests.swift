import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

@Suite("Watcher state machine")
struct WatcherTests {
    /// Steps until `until` holds for the state (at most `limit` steps), collecting events.
    func run(_ watcher: Watcher, from state: WatcherState, token: CancellationToken = CancellationToken(), steps: Int)
        -> (events: [WatcherEvent], errors: [KubeError], state: WatcherState) {
        var events: [WatcherEvent] = []
        var errors: [KubeError] = []
        var s = state
        for _ in 0..<steps {
            let (error, next) = watcher.step(s, cancellation: token) { events.append($0) }
            if let error { errors.append(error) }
            s = next
        }
        return (events, errors, s)
    }

    @Test("an empty watcher lists page by page, then reports initDone and watches from the list's version")
    func listsInPages() {
        let cluster = FakeCluster()
        for i in 0..<5 { cluster.upsert("n", "c\(i)", data: "x") }
        let watcher = Watcher(source: cluster, pageSize: 2)
        let (events, errors, state) = run(watcher, from: .empty, steps: 5)
        #expect(errors.isEmpty)
        guard case .initStart = events.first else { Issue.record("no initStart"); return }
        var pages: [Int] = []
        for case .initApply(let page) in events { pages.append(page.count) }
        #expect(pages == [2, 2, 1])
        guard case .initDone(let rv) = events.last else { Issue.record("no initDone"); return }
        #expect(rv == "105")
        #expect(state == .watching(resourceVersion: "105"))
    }

    @Test("a stream end rewatches from the last resourceVersion seen, bookmarks included")
    func rewatchFromLastRV() {
        let cluster = FakeCluster()
        cluster.bookmarkEvery = 1
        cluster.upsert("n", "a", data: "1")
        let watcher = Watcher(source: cluster)
        cluster.upsert("n", "a", data: "2")
        cluster.upsert("n", "b", data: "3")
        let token = CancellationToken()
        // Close the stream once both events are out.
        let closer = try? KubeThread.spawn(name: "closer") {
            _ = eventually { cluster.lock.withLock { cluster.eventsSent } == 2 }
            cluster.closeWatches()
        }
        let (events, errors, state) = run(watcher, from: .watching(resourceVersion: "101"), token: token, steps: 1)
        closer?.join()
        #expect(errors.isEmpty)
        var applied: [String] = []
        for case .apply(let o) in events { applied.append(o.resourceVersion) }
        #expect(applied == ["102", "103"])
        #expect(state == .watching(resourceVersion: "103"))
    }

    @Test("410 Gone from a watch goes back to listing")
    func goneRelists() {
        let cluster = FakeCluster()
        cluster.upsert("n", "a", data: "1")
        cluster.compact()
        let watcher = Watcher(source: cluster)
        let (_, errors, state) = run(watcher, from: .watching(resourceVersion: "100"), steps: 1)
        #expect(errors.first?.isGone == true)
        #expect(state == .relisting)
    }

    @Test("other failures keep the state for a retry")
    func failuresKeepState() {
        let cluster = FakeCluster()
        cluster.failRequests(1)
        let watcher = Watcher(source: cluster)
        let (_, errors, state) = run(watcher, from: .listing(continueToken: nil), steps: 1)
        #expect(errors.count == 1)
        #expect(state == .listing(continueToken: nil))
    }

    @Test("cancellation ends a watch without an error")
    func cancellation() {
        let cluster = FakeCluster()
        let watcher = Watcher(source: cluster)
        let token = CancellationToken()
        // Cancel once the watch is open, so it is the watch that ends, not its start.
        let t = try? KubeThread.spawn(name: "cancel") {
            _ = eventually { cluster.lock.withLock { cluster.watchCalls } == 1 }
            token.cancel()
        }
        let (_, errors, state) = run(watcher, from: .watching(resourceVersion: "100"), token: token, steps: 1)
        t?.join()
        #expect(errors.isEmpty)
        #expect(state == .watching(resourceVersion: "100"))
    }

    @Test("backoff doubles from 800 ms to 30 s and resets after two healthy minutes")
    func backoff() {
        var b = Backoff(random: { 0 })
        var delays: [Duration] = []
        let second: UInt64 = 1_000_000_000
        for i in 0..<UInt64(8) { delays.append(b.next(atNanoseconds: i * second)) }
        #expect(delays == [.milliseconds(800), .milliseconds(1600), .milliseconds(3200), .milliseconds(6400),
                           .milliseconds(12800), .milliseconds(25600), .seconds(30), .seconds(30)])
        #expect(b.next(atNanoseconds: (7 + 119) * second) == .seconds(30), "119 s after the last failure: no reset yet")
        #expect(b.next(atNanoseconds: (126 + 120) * second) == .milliseconds(800), "120 s without a failure resets it")
        var j = Backoff(random: { 0.5 })
        #expect(j.next(atNanoseconds: 0) == .milliseconds(1200))
    }
}
