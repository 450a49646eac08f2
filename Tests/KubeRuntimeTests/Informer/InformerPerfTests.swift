import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime

/// Throughput and memory of the informer path without the network: a source that lists
/// and streams precomputed pod-sized objects as fast as the informer takes them.
/// Set KUBECLIENT_INFORMER_PERF=1 to run (meant for release builds); it prints figures.
@Suite("Informer performance", .enabled(if: ProcessInfo.processInfo.environment["KUBECLIENT_INFORMER_PERF"] == "1"))
struct InformerPerfTests {
    /// A pod of roughly 7 KB of JSON, half of it managedFields, like the benchmark issue's.
    static func pod(_ i: Int, rv: Int) -> [UInt8] {
        let fields = (0..<40).map { "\"f:field\($0)\":{\"f:nested\":{},\"f:other\":{}}" }.joined(separator: ",")
        let env = (0..<25).map { "{\"name\":\"ENV_\($0)\",\"value\":\"value-number-\($0)-for-pod-\(i)\"}" }.joined(separator: ",")
        let text = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-\(i)","namespace":"ns-\(i % 20)","uid":"uid-\(i)-aaaa-bbbb-cccc","resourceVersion":"\(rv)","labels":{"app":"app-\(i % 50)","tier":"backend","pod-template-hash":"5d8f7c9b6"},"annotations":{"kubernetes.io/created-by":"benchmark","prometheus.io/scrape":"true"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs-\(i % 50)","uid":"rs-uid-\(i % 50)","controller":true}],"managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{\(fields)},"f:spec":{\(fields)}}}]},"spec":{"containers":[{"name":"app","image":"registry.example.com/app:1.2.3","env":[\(env)],"resources":{"limits":{"cpu":"500m","memory":"256Mi"}},"livenessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":10}}],"volumes":[{"name":"config","configMap":{"name":"cfg-\(i % 50)"}}],"nodeName":"node-\(i % 100)"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}],"podIP":"10.0.\(i % 250).\(i % 200)"}}
        """
        return Array(text.utf8)
    }

    final class Source: ListerWatcher, @unchecked Sendable {
        let count: Int
        let events: [[UInt8]]
        /// Lists `count` pods, generated page by page so that only the cache keeps them.
        init(count: Int, events: [[UInt8]]) {
            self.count = count
            self.events = events
        }
        func list(limit: Int?, continueToken: String?) throws(KubeError) -> RawListPage {
            let offset = continueToken.flatMap { Int($0) } ?? 0
            let size = limit ?? count
            let end = min(count, offset + size)
            return RawListPage(items: (offset..<end).map { InformerPerfTests.pod($0, rv: 1) }, resourceVersion: "1",
                               continueToken: end < count ? String(end) : nil)
        }
        func watch(resourceVersion: String, timeoutSeconds: Int, cancellation: CancellationToken,
                   onEvent: (WatchStreamEvent) -> Bool) throws(KubeError) {
            if resourceVersion == "1" {
                for e in events where !onEvent(.modified(e)) { return }
            }
            while !cancellation.isCancelled { usleep(10_000) }
        }
    }

    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = Int(text.split(separator: " ")[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    @Test("sync time, memory per cached pod and watch events per second")
    func figures() throws {
        let count = 10_000
        let size = Self.pod(0, rv: 1).count
        for transform in [ObjectTransform.none, .dropManagedFields] {
            _ = trimHeap(0)
            let before = Self.residentBytes()
            let informer = SharedInformer(source: Source(count: count, events: []), transform: transform)
            try informer.addHandler(ResourceEventHandler(onAdd: { _, _ in }))
            let start = Date()
            try informer.start()
            #expect(informer.waitForSync(timeout: .seconds(120)))
            let elapsed = Date().timeIntervalSince(start)
            let bytes = informer.indexer.list().reduce(0) { $0 + $1.bytes.count } / count
            _ = trimHeap(0)
            let rss = (Self.residentBytes() - before) / count
            print("perf: sync \(count) pods (\(size) B JSON each, \(transform.dropsManagedFields ? "managedFields dropped" : "as is")): \(String(format: "%.3f", elapsed)) s; cached bytes/pod \(bytes); RSS growth/pod \(rss)")
            informer.stop()
        }
        let eventCount = 100_000
        let events = (0..<eventCount).map { Self.pod($0 % 5_000, rv: 2 + $0) }
        let counter = Counter()
        let informer = SharedInformer(source: Source(count: 0, events: events))
        try informer.addHandler(ResourceEventHandler(onAdd: { _, _ in counter.bump() }, onUpdate: { _, _ in counter.bump() }))
        let start = Date()
        try informer.start()
        while counter.value < eventCount && Date().timeIntervalSince(start) < 120 { usleep(1000) }
        let elapsed = Date().timeIntervalSince(start)
        print("perf: \(eventCount) watch events to a Swift handler in \(String(format: "%.3f", elapsed)) s = \(Int(Double(eventCount) / elapsed)) events/s")
        informer.stop()
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func bump() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

/// glibc's malloc_trim (not exported by the Glibc module): returns freed heap to the system
/// so resident-memory deltas show what the cache holds, not the allocator's high-water mark.
@_silgen_name("malloc_trim")
func trimHeap(_ pad: Int) -> Int32
