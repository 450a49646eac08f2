import Foundation
import KubeClient
import KubeCore
import KubeRuntime
import KubeTestServer
import Synchronization
import Testing
import KubeTestSupport

/// Leader election between candidates sharing a Lease on the in-memory API server, with
/// short durations (lease 1 s, renew deadline 0.6 s, retry 0.2 s) on a manual clock that the
/// tests step: durations are asserted in clock time, never in wall-clock time.
@Suite("Leader election against the test server")
struct LeaderElectorTests {
    /// What one candidate's callbacks saw.
    final class Observations: Sendable {
        let events = Locked<[String]>([])
        let leading = Atomic<Bool>(false)
    }

    final class Candidate: Sendable {
        let identity: String
        let elector: LeaderElector
        let seen = Observations()

        init(identity: String, client: KubeClient, lease: String, log: Timeline,
             clock: any RuntimeClock = SystemRuntimeClock()) throws {
            self.identity = identity
            var config = LeaderElectionConfig(leaseNamespace: "default", leaseName: lease, identity: identity)
            config.clock = clock
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
        let entries = Locked<[(String, Bool)]>([])
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

    /// The shared test cluster, with a client that does not retry (a failed lease write must
    /// reach the elector) and gives up on a request after 2 s.
    static func makeCluster() throws -> TestCluster {
        try TestCluster(retry: .none, adjust: { config, _ in config.timeout = .seconds(2) })
    }

    /// Steps `clock` by `duration`, then waits until `sleepers` threads have parked on it again
    /// (each finished what the step let it do); false when they did not within 10 s.
    static func advance(_ clock: ManualRuntimeClock, by duration: Duration, sleepers: Int) -> Bool {
        clock.step(duration)
        return eventually { clock.sleepers == sleepers }
    }

    @Test("three candidates: exactly one leads, and another takes over when it stops")
    func threeCandidatesTakeover() throws {
        let cluster = try Self.makeCluster()
        defer { cluster.stop() }
        let client = cluster.client
        let log = Timeline()
        let clock = ManualRuntimeClock()
        let candidates = try (0..<3).map {
            try Candidate(identity: "c\($0)", client: client, lease: "three", log: log, clock: clock)
        }
        for c in candidates { try c.elector.start() }

        #expect(eventually { candidates.filter(\.isLeading).count == 1 && clock.sleepers == 3 })
        let first = try #require(candidates.first { $0.isLeading })
        // Leadership stays put over three lease durations while the leader renews.
        for _ in 0..<30 {
            #expect(Self.advance(clock, by: .milliseconds(100), sleepers: 3))
            #expect(first.isLeading && candidates.filter(\.isLeading).count == 1)
        }
        #expect(candidates.allSatisfy { $0.elector.leader == first.identity })

        // The leader stops and releases the lease: another candidate leads before the lease
        // could have expired, so it was the release, not the expiry, that handed it over.
        first.elector.stop()
        #expect(first.events.contains("stopped"))
        var waited: Duration = .zero
        while waited < .seconds(1), !candidates.contains(where: { $0 !== first && $0.isLeading }) {
            #expect(Self.advance(clock, by: .milliseconds(100), sleepers: 2))
            waited += .milliseconds(100)
        }
        #expect(candidates.filter { $0 !== first && $0.isLeading }.count == 1,
                "no takeover within the lease duration (\(waited) of clock time)")
        #expect(log.maxConcurrentLeaders == 1)
        for c in candidates { c.elector.stop() }
        #expect(candidates.allSatisfy { !$0.isLeading })
    }

    @Test("a leader whose renewals fail stops leading at the renew deadline, and leadership recovers")
    func renewalFailures() throws {
        let cluster = try Self.makeCluster()
        defer { cluster.stop() }
        let client = cluster.client
        let log = Timeline()
        let clock = ManualRuntimeClock()
        let a = try Candidate(identity: "a", client: client, lease: "faulty", log: log, clock: clock)
        let b = try Candidate(identity: "b", client: client, lease: "faulty", log: log, clock: clock)
        try a.elector.start()
        #expect(eventually { a.isLeading && clock.sleepers == 1 })
        try b.elector.start()
        #expect(eventually { b.elector.leader == "a" && clock.sleepers == 2 })

        // Every lease write fails for a while: the leader cannot renew. It keeps leading while
        // less than the renew deadline (0.6 s) has passed since its last renewal, and stops at it.
        cluster.server.failNext(FailureRule(status: 500, count: 15, pathContains: "/leases/", method: "PUT"))
        #expect(Self.advance(clock, by: .milliseconds(200), sleepers: 2))
        #expect(Self.advance(clock, by: .milliseconds(200), sleepers: 2))
        #expect(a.isLeading, "stopped before the renew deadline")
        clock.step(.milliseconds(200))
        #expect(eventually { !a.isLeading })
        // Once writes work again, b leads (never both at once).
        var steps = 0
        while !b.isLeading, steps < 200 {
            #expect(Self.advance(clock, by: .milliseconds(100), sleepers: 1))
            steps += 1
        }
        #expect(b.isLeading)
        #expect(log.maxConcurrentLeaders == 1)
        a.elector.stop()
        b.elector.stop()
    }

    @Test("invalid durations are rejected like client-go")
    func validation() throws {
        let cluster = try Self.makeCluster()
        defer { cluster.stop() }
        let client = cluster.client
        var config = LeaderElectionConfig(leaseNamespace: "default", leaseName: "x", identity: "me")
        config.renewDeadline = .seconds(20)
        #expect(throws: KubeError.self) {
            _ = try LeaderElector(client: client, config: config, callbacks: LeaderCallbacks(onStartedLeading: {}, onStoppedLeading: {}))
        }
    }
}
