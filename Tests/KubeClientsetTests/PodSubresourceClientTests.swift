import Foundation
import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import Synchronization
import Testing
import KubeTestSupport

@Suite("Pod logs and eviction through the typed client")
struct PodSubresourceClientTests {
    static func pod(_ name: String, containers: [String]) -> CoreV1.Pod {
        CoreV1.Pod(metadata: ObjectMeta(name: name),
                   spec: CoreV1.PodSpec(containers: containers.map { CoreV1.Container(image: "busybox", name: $0) }))
    }

    /// Lines a streaming call delivered, and how it ended, shared with the test thread.
    final class StreamResult: Sendable {
        private let state = Mutex<(lines: [String], done: Bool, error: String?)>(([], false, nil))

        var lines: [String] { state.withLock { $0.lines } }
        var done: Bool { state.withLock { $0.done } }
        var error: String? { state.withLock { $0.error } }

        func add(_ line: String) { state.withLock { $0.lines.append(line) } }
        func finish(_ error: String?) { state.withLock { $0.done = true; $0.error = error } }
    }

    /// Runs `body` on a thread of its own (streamLogs blocks its caller).
    static func inBackground(_ result: StreamResult, _ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread {
            do {
                try body()
                result.finish(nil)
            } catch {
                result.finish("\(error)")
            }
        }
        thread.start()
    }

    @Test("logs reads appended lines, with container, tailLines and kube-apiserver's errors")
    func logs() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        _ = try pods.create(Self.pod("two", containers: ["a", "b"]))
        _ = try pods.create(Self.pod("one", containers: ["main"]))
        try cluster.server.appendLog(pod: "two", container: "a", line: "a1")
        try cluster.server.appendLog(pod: "two", container: "a", line: "a2")
        try cluster.server.appendLog(pod: "one", line: "only")

        #expect(try pods.logs("two", options: PodLogOptions(container: "a")) == "a1\na2\n")
        #expect(try pods.logs("two", options: PodLogOptions(container: "a", tailLines: 1)) == "a2\n")
        #expect(try pods.logs("two", options: PodLogOptions(container: "b")) == "")
        #expect(try pods.logs("one") == "only\n")
        // follow is ignored by logs (it would never return).
        #expect(try pods.logs("one", options: PodLogOptions(follow: true)) == "only\n")
        do throws(KubeError) {
            _ = try pods.logs("two")
            Issue.record("a two-container pod needs a container name")
        } catch {
            #expect(error.status?.code == 400)
            #expect(error.status?.message == "a container name must be specified for pod two, choose one of: [a b]")
        }
        #expect(throws: KubeError.self) { try pods.logs("missing") }
        do throws(KubeError) { _ = try pods.logs("missing") } catch { #expect(error.isNotFound) }
    }

    @Test("streamLogs with follow delivers lines appended while streaming; cancel ends it")
    func streamFollowCancel() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        _ = try pods.create(Self.pod("p", containers: ["c"]))
        try cluster.server.appendLog(pod: "p", line: "before")
        let result = StreamResult()
        let token = CancellationToken()
        Self.inBackground(result) {
            try pods.streamLogs("p", cancellation: token) { line in
                result.add(line)
                return true
            }
        }
        #expect(eventually { result.lines == ["before"] })
        try cluster.server.appendLog(pod: "p", line: "after 1")
        try cluster.server.appendLog(pod: "p", line: "after 2")
        #expect(eventually { result.lines == ["before", "after 1", "after 2"] })
        #expect(!result.done)
        token.cancel()
        #expect(eventually { result.done })
        #expect(result.error == nil)
    }

    @Test("cancel ends a followed log that has not delivered anything yet")
    func cancelBeforeData() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        _ = try pods.create(Self.pod("quiet", containers: ["c"]))
        let result = StreamResult()
        let token = CancellationToken()
        Self.inBackground(result) {
            try pods.streamLogs("quiet", cancellation: token) { line in
                result.add(line)
                return true
            }
        }
        // The cancel hits an open, silent stream: the server follows the log, and the empty,
        // followed log has not ended it.
        #expect(eventually { cluster.server.logFollowers == 1 })
        #expect(!result.done)
        token.cancel()
        #expect(eventually { result.done })
        #expect(result.error == nil)
        #expect(result.lines.isEmpty)
    }

    @Test("streamLogs ends when the pod is deleted, or when onLine returns false")
    func streamEnds() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        _ = try pods.create(Self.pod("p", containers: ["c"]))
        try cluster.server.appendLog(pod: "p", line: "one")

        let deleted = StreamResult()
        Self.inBackground(deleted) {
            try pods.streamLogs("p", options: PodLogOptions(follow: true, timestamps: true)) { line in
                deleted.add(line)
                return true
            }
        }
        #expect(eventually { deleted.lines.count == 1 })
        #expect(deleted.lines.first?.hasSuffix("Z one") == true)
        try pods.delete("p")
        #expect(eventually { deleted.done })
        #expect(deleted.error == nil)

        _ = try pods.create(Self.pod("q", containers: ["c"]))
        try cluster.server.appendLog(pod: "q", line: "first\nsecond")
        let stopped = StreamResult()
        Self.inBackground(stopped) {
            try pods.streamLogs("q") { line in
                stopped.add(line)
                return false
            }
        }
        #expect(eventually { stopped.done })
        #expect(stopped.lines == ["first"])
        #expect(stopped.error == nil)

        // Errors before the stream starts are the API's Status.
        _ = try pods.create(Self.pod("two", containers: ["a", "b"]))
        do throws(KubeError) {
            try pods.streamLogs("two") { _ in true }
            Issue.record("a two-container pod needs a container name")
        } catch {
            #expect(error.status?.code == 400)
        }

        // Without follow the stream ends with the log.
        #expect(eventually {
            var lines: [String] = []
            try? pods.streamLogs("q", options: PodLogOptions()) { lines.append($0); return true }
            return lines == ["first", "second"]
        })
    }

    @Test("evict deletes the pod; missing pods, failed preconditions and budgets are API errors")
    func evict() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        let pods = cluster.client.coreV1.pods(namespace: "default")
        _ = try pods.create(Self.pod("p", containers: ["c"]))

        try pods.evict("p", dryRun: true)
        #expect(try pods.get("p").metadata?.name == "p")
        do throws(KubeError) {
            try pods.evict("p", deleteOptions: MetaV1.DeleteOptions(preconditions: MetaV1.Preconditions(uid: "other")))
            Issue.record("a failed precondition must not evict")
        } catch {
            #expect(error.isConflict)
        }
        try pods.evict("p", deleteOptions: MetaV1.DeleteOptions(gracePeriodSeconds: 0))
        do throws(KubeError) {
            _ = try pods.get("p")
            Issue.record("the evicted pod is gone")
        } catch {
            #expect(error.isNotFound)
        }
        do throws(KubeError) {
            try pods.evict("p")
            Issue.record("evicting a missing pod is 404")
        } catch {
            #expect(error.isNotFound)
        }
        // A PodDisruptionBudget with no disruptions left blocks a running pod's eviction.
        try cluster.server.seed(json: ["apiVersion": "v1", "kind": "Pod",
                                       "metadata": ["name": "guarded", "namespace": "default", "labels": ["app": "db"]],
                                       "spec": ["containers": [["name": "c", "image": "busybox"]]],
                                       "status": ["phase": "Running"]])
        try cluster.server.seed(json: ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                                       "metadata": ["name": "db", "namespace": "default"],
                                       "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "db"]]],
                                       "status": ["observedGeneration": 1, "disruptionsAllowed": 0, "desiredHealthy": 1,
                                                  "currentHealthy": 1, "expectedPods": 1]])
        do throws(KubeError) {
            try pods.evict("guarded")
            Issue.record("the budget allows no disruption")
        } catch {
            #expect(error.isTooManyRequests)
        }
        #expect(try pods.get("guarded").metadata?.name == "guarded")
        do throws(KubeError) {
            try cluster.client.coreV1.pods(namespace: nil).evict("p")
            Issue.record("evict needs a namespace")
        } catch {
            #expect(error.status == nil)
        }
    }
}
