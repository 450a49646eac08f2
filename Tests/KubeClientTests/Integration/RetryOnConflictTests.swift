import KubeClient
import KubeCore
import Testing
import KubeTestSupport

@Suite("retryOnConflict against the test server")
struct RetryOnConflictTests {
    @Test("two writers racing on one ConfigMap both end up applied")
    func racingWritersBothApply() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        _ = try configMaps.create(TestCluster.configMap("shared", data: ["start": "yes"]))

        // Writer A reads, then writer B's whole read-modify-write lands before A writes: A's
        // first update is stale and conflicts. The interleaving is forced so the race is certain.
        var attemptsA = 0
        var sleeps: [Duration] = []
        try retryOnConflict(sleep: { sleeps.append($0) }) {
            attemptsA += 1
            var mine = try configMaps.get("shared")
            if attemptsA == 1 {
                try retryOnConflict {
                    var theirs = try configMaps.get("shared")
                    theirs.object["data"]?["b"] = "from B"
                    _ = try configMaps.update(theirs)
                }
            }
            mine.object["data"]?["a"] = "from A"
            _ = try configMaps.update(mine)
        }

        #expect(attemptsA == 2)
        #expect(sleeps.count == 1)
        let data = try configMaps.get("shared")[path: "data"]?.objectValue ?? [:]
        #expect(data == ["start": "yes", "a": "from A", "b": "from B"])
    }

    @Test("an error other than Conflict is thrown at once, without a retry")
    func otherErrorsAreNotRetried() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")

        var attempts = 0
        var sleeps = 0
        #expect {
            try retryOnConflict(sleep: { _ in sleeps += 1 }) {
                attempts += 1
                _ = try configMaps.get("missing")
            }
        } throws: { ($0 as? KubeError)?.isNotFound == true }
        #expect(attempts == 1)
        #expect(sleeps == 0)
    }

    @Test("a write that always conflicts stops after DefaultRetry's 5 attempts with the Conflict")
    func attemptsAreBounded() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        var stale = try configMaps.create(TestCluster.configMap("contended", data: ["n": "0"]))
        _ = try configMaps.patch("contended", ["data": ["n": "1"]], type: .merge)
        stale.object["data"] = ["n": "2"]

        var attempts = 0
        var sleeps: [Duration] = []
        #expect {
            try retryOnConflict(sleep: { sleeps.append($0) }) {
                attempts += 1
                _ = try configMaps.update(stale)   // never re-read: conflicts every time
            }
        } throws: { ($0 as? KubeError)?.isConflict == true }
        #expect(attempts == 5)
        #expect(sleeps.count == 4)
        // 10 ms, factor 1, jitter 0.1: every wait lies in [10 ms, 11 ms).
        #expect(sleeps.allSatisfy { $0 >= .milliseconds(10) && $0 < .milliseconds(11) })
    }

    @Test("retryOnError retries what the predicate accepts, with growing waits")
    func retryOnErrorFollowsTheBackoff() {
        struct Flaky: Error {}
        var attempts = 0
        var sleeps: [Duration] = []
        let backoff = RetryBackoff(steps: 4, duration: .milliseconds(10), factor: 5)
        let result = try? retryOnError(backoff, sleep: { sleeps.append($0) }, isRetriable: { $0 is Flaky }) {
            () throws(Flaky) -> Int in
            attempts += 1
            if attempts < 4 { throw Flaky() }
            return attempts
        }
        #expect(result == 4)
        #expect(sleeps == [.milliseconds(10), .milliseconds(50), .milliseconds(250)])
    }
}
