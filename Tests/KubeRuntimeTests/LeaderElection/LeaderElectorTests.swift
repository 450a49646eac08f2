import Foundation
import KubeClient
import KubeCore
import KubeRuntime
import KubeTestServer
import Synchronization
import Testing

/// Leader election between candidates sharing a Lease on the in-memory API server, with
/// short durations (lease 1 s, renew deadline 0.6 s, retry 0.2 s).
@Suite("Leader election against the test server")
struct LeaderElectorTests {
    /// What one candidate's callbacks saw.
    final class Observations: Sendable {
        let events = Mutex<[String]>([])
        let leading = Atomic<Bool>(false)
    }

    final class Candidate: Sendable {
        let identity: String
        let elector: LeaderElector
        let seen = Observations()

        init(identity: String, client: KubeClient, lease: String, log: Timeline) throws {
            self.identity = identity
            var config = LeaderElectionConfig(leaseNamespace: "default", leaseName: lease, identity: identity)
            config.leaseDuration = .seconds(1)
            config.renewDeadline = .milliseconds(600)
            config.retryPeriod = .milliseconds(200)
            let seen = seen
            elector = try LeaderElector(client: client, config: config, callbacks: LeaderCallbacks(
                onStartedLeading: {
                    seen.leading.store(true, ordering: .sequentiallyConsistent)
                    log.record(identity, started: true)
                    seen.events.withLock { $0.append("started") }
                },
                onStoppedLeading: {
                    seen.leading.store(false, ordering: .sequentiallyConsistent)
                    log.record(identity, started: false)
                    seen.events.withLock { $0.append("stopped") }
                },
                onNewLeader: { leader in seen.events.withLock { $0.append("leader:\(leader)") } }))
        }

        var isLeading: Bool { seen.leading.load(ordering: .sequentiallyConsistent) }
        var events: [String] { seen.events.withLock { $0 } }
    }

    /// Start/stop of leadership across candidates, to check leaderships never overlap.
    final class Timeline: Sendable {
        let entries = Mutex<[(String, Bool)]>([])
        func record(_ who: String, started: Bool) { entries.withLock { $0.append((who, started)) } }

        /// Max number of simultaneous leaders implied by the start/stop sequence.
        var maxConcurrentLeaders: Int {
            entries.withLock { list in
                var current = 0, peak = 0
                for (_, started) in list {
                    current += started ? 1 : -1
                    peak = max(peak, current)
                }
                return peak
            }
        }
    }

    static func makeClient(_ server: KubeTestServer) throws -> KubeClient {
        var config = RESTConfig(host: server.url, credentials: .bearerToken(server.adminToken), qps: -1)
        config.tls.caData = server.caPEM.map { Array($0.utf8) }
        config.timeout = .seconds(2)
        let retry = RetryPolicy(maxRetries: 0)
        return try KubeClient(config: config, options: TransportOptions(retryPolicy: retry, warningHandler: .ignore))
    }

    @Test("three candidates: exactly one leads, and another takes over when it stops")
    func threeCandidatesTakeover() throws {
        var options = KubeTestServerOptions()
        options.threads = 1
        let server = try KubeTestServer.startBlocking(options)
        defer { server.stopBlocking() }
        let client = try Self.makeClient(server)
        let log = Timeline()
        let candidates = try (0..<3).map { try Candidate(identity: "c\($0)", client: client, lease: "three", log: log) }
        for c in candidates { try c.elector.start() }

        #expect(eventually { candidates.filter(\.isLeading).count == 1 })
        // Leadership stays put for a few lease periods while the leader renews.
        let leaderNow = candidates.first { $0.isLeading }
        let first = try #require(leaderNow)
        #expect(!eventually(timeout: 1.5) { !first.isLeading || candidates.filter(\.isLeading).count != 1 })
        for c in candidates { #expect(c.elector.leader == first.identity || c.elector.leader == nil) }
        #expect(eventually { candidates.allSatisfy { $0.elector.leader == first.identity } })

        // The leader stops and releases the lease: another candidate leads within the lease duration.
        let stoppedAt = Date()
        first.elector.stop()
        #expect(first.events.contains("stopped"))
        #expect(eventually(timeout: 3) { candidates.filter { $0 !== first && $0.isLeading }.count == 1 })
        #expect(Date().timeIntervalSince(stoppedAt) < 1.5)
        #expect(log.maxConcurrentLeaders == 1)
        for c in candidates { c.elector.stop() }
        #expect(candidates.allSatisfy { !$0.isLeading })
    }

    @Test("a leader whose renewals fail stops leading within the renew deadline, and leadership recovers")
    func renewalFailures() throws {
        var options = KubeTestServerOptions()
        options.threads = 1
        let server = try KubeTestServer.startBlocking(options)
        defer { server.stopBlocking() }
        let client = try Self.makeClient(server)
        let log = Timeline()
        let a = try Candidate(identity: "a", client: client, lease: "faulty", log: log)
        let b = try Candidate(identity: "b", client: client, lease: "faulty", log: log)
        try a.elector.start()
        #expect(eventually { a.isLeading })
        try b.elector.start()
        #expect(eventually { b.elector.leader == "a" })

        // Every lease write fails for a while: the leader cannot renew.
        server.failNext(FailureRule(status: 500, count: 15, pathContains: "/leases/", method: "PUT"))
        let failedAt = Date()
        #expect(eventually(timeout: 3) { !a.isLeading })
        #expect(Date().timeIntervalSince(failedAt) < 1.0, "gives up after the renew deadline (0.6 s)")
        // Once writes work again, one of them leads (never both).
        #expect(eventually(timeout: 8) { b.isLeading || a.elector.isLeader })
        #expect(log.maxConcurrentLeaders == 1)
        a.elector.stop()
        b.elector.stop()
    }

    @Test("invalid durations are rejected like client-go")
    func validation() throws {
        var options = KubeTestServerOptions()
        options.threads = 1
        let server = try KubeTestServer.startBlocking(options)
        defer { server.stopBlocking() }
        let client = try Self.makeClient(server)
        var config = LeaderElectionConfig(leaseNamespace: "default", leaseName: "x", identity: "me")
        config.renewDeadline = .seconds(20)
        #expect(throws: KubeError.self) {
            _ = try LeaderElector(client: client, config: config, callbacks: LeaderCallbacks(onStartedLeading: {}, onStoppedLeading: {}))
        }
    }
}
