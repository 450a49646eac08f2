import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime

/// A source whose streaming list plays a fixed script of events and then ends; its paged
/// list serves `listed`. `refuses` makes `watchList` fall back to the protocol's default.
final class ScriptedStreamSource: ListerWatcher, @unchecked Sendable {
    let script: [WatchStreamEvent]
    let listed: [[UInt8]]
    let refuses: Bool
    private let lock = ConditionLock()
    private var lists = 0
    private var streams = 0

    init(script: [WatchStreamEvent], listed: [[UInt8]] = [], refuses: Bool = false) {
        self.script = script
        self.listed = listed
        self.refuses = refuses
    }

    var listCalls: Int { lock.withLock { lists } }
    var streamCalls: Int { lock.withLock { streams } }

    func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
        lock.withLock { lists += 1 }
        return RawListPage(items: listed, resourceVersion: "500", continueToken: nil)
    }

    func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
               onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
        // Live watches stay open until cancelled, like a quiet server.
        while !cancellation.isCancelled { _ = lock.withLock { lock.wait(timeout: .milliseconds(10)) } }
    }

    func watchList(timeoutSeconds: Int, cancellation: CancellationToken,
                   onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
        lock.withLock { streams += 1 }
        if refuses { throw KubeError.api(Status.invalid(group: "", kind: "ListOptions", name: "",
                                                       causes: [StatusCause(type: "FieldValueForbidden", message: "resourceVersionMatch is forbidden for watch", field: "resourceVersionMatch")])) }
        for event in script where !onEvent(event) { return }
    }
}

@Suite("Streaming lists (sendInitialEvents)")
struct StreamingListTests {
    static func cm(_ name: String, rv: Int) -> [UInt8] { FakeCluster.configMap("n", name, rv: rv, data: "x") }

    func run(_ watcher: Watcher, from state: WatcherState, steps: Int)
        -> (events: [WatcherEvent], errors: [KubeError], state: WatcherState) {
        var events: [WatcherEvent] = []
        var errors: [KubeError] = []
        var s = state
        for _ in 0..<steps {
            let (error, next) = watcher.step(s, cancellation: CancellationToken()) { events.append($0) }
            if let error { errors.append(error) }
            s = next
        }
        return (events, errors, s)
    }

    @Test("initial ADDED events arrive in batches, the end bookmark completes the sync, live events follow")
    func streamsInitialState() {
        var script: [WatchStreamEvent] = (0..<5).map { .added(Self.cm("c\($0)", rv: 101 + $0)) }
        script.append(.bookmark(resourceVersion: "105"))
        script.append(.initialEventsEnd(resourceVersion: "106"))
        script.append(.modified(Self.cm("c0", rv: 107)))
        let source = ScriptedStreamSource(script: script)
        let watcher = Watcher(source: source, pageSize: 2, streamingList: true)
        let (events, errors, state) = run(watcher, from: .empty, steps: 2)
        #expect(errors.isEmpty)
        #expect(source.listCalls == 0)
        var log: [String] = []
        for event in events {
            switch event {
            case .initStart: log.append("start")
            case .initApply(let objects): log.append("page \(objects.count)")
            case .initDone(let rv): log.append("done \(rv)")
            case .apply(let object): log.append("apply \(object.key)@\(object.resourceVersion)")
            case .delete(let object): log.append("delete \(object.key)")
            case .progress(let rv): log.append("progress \(rv)")
            }
        }
        #expect(log == ["start", "page 2", "page 2", "page 1", "done 106", "apply n/c0@107"])
        #expect(state == .watching(resourceVersion: "107"))
    }

    @Test("a refused streaming list falls back to a paged LIST of the same relist")
    func refusedFallsBack() {
        let source = ScriptedStreamSource(script: [], listed: [Self.cm("a", rv: 101)], refuses: true)
        let watcher = Watcher(source: source, streamingList: true)
        let (events, errors, state) = run(watcher, from: .empty, steps: 4)
        #expect(errors.count == 1)
        #expect(errors.first?.isInvalid == true)
        #expect(source.listCalls == 1)
        #expect(state == .watching(resourceVersion: "500"))
        var starts = 0
        var applied: [String] = []
        for event in events {
            if case .initStart = event { starts += 1 }
            if case .initApply(let objects) = event { applied += objects.map(\.key) }
        }
        // The second initStart discards whatever the failed stream had buffered.
        #expect(starts == 2)
        #expect(applied == ["n/a"])
    }

    @Test("a stream that ends before the initial-events-end bookmark is not taken as a complete list")
    func endWithoutBookmarkFallsBack() {
        let source = ScriptedStreamSource(script: [.added(Self.cm("a", rv: 101))], listed: [Self.cm("b", rv: 102)])
        let watcher = Watcher(source: source, streamingList: true)
        let (events, errors, state) = run(watcher, from: .empty, steps: 2)
        #expect(errors.count == 1)
        #expect(state == .listing(continueToken: nil))
        guard case .initStart = events.last else { Issue.record("the partial stream was not discarded"); return }
    }

    @Test("410 Gone after the initial events goes back to a fresh relist")
    func goneAfterInitialEvents() {
        let source = ScriptedStreamSource(script: [.initialEventsEnd(resourceVersion: "100"),
                                                   .error(Status.gone("too old resource version"))])
        let watcher = Watcher(source: source, streamingList: true)
        let (_, errors, state) = run(watcher, from: .streaming, steps: 1)
        #expect(errors.first?.isGone == true)
        #expect(state == .relisting)
    }

    @Test("an informer whose source refuses streaming syncs through LIST without backing off")
    func informerFallbackIsImmediate() throws {
        let source = ScriptedStreamSource(script: [], listed: [Self.cm("a", rv: 101)], refuses: true)
        // A backoff this long would blow the wait below if the fallback slept.
        let informer = SharedInformer(source: source, backoff: Backoff(initialDelay: .seconds(60), maxDelay: .seconds(60)), streamingList: true,
                                      onWatchError: { _ in })
        try informer.start()
        defer { informer.stop() }
        #expect(informer.waitForSync(timeout: .seconds(10)))
        #expect(informer.lister.list().map(\.key) == ["n/a"])
        #expect(source.streamCalls == 1)
    }
}
