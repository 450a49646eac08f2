import KubeClient
import KubeCore
import Logging
import Synchronization

/// Leader election on a coordination.k8s.io/v1 Lease, as client-go's `leaderelection` does it.
///
/// Candidates share one Lease. The holder renews it every `retryPeriod`; the others try to
/// take it every `retryPeriod` and succeed only when they have seen no change to it for
/// `leaseDuration` on their own clock (so clock skew between machines is harmless), and
/// then only through an update guarded by the lease's resourceVersion (so two candidates
/// never both win). A leader that cannot renew for `renewDeadline` stops leading —
/// `renewDeadline < leaseDuration`, so it stops before anyone else may start. `stop()`
/// releases the lease (with `releaseOnCancel`) so another candidate takes over at once.
///
/// The elector runs on one library thread between `start()` and `stop()`; see
/// `LeaderCallbacks` for where each callback runs. Like client-go's `Run`, an elector that
/// lost the lease does not compete again: create a new one (or exit and let the process
/// restart) to rejoin.
///
/// `@unchecked Sendable`: mutable state is guarded by `lock`.
public final class LeaderElector: @unchecked Sendable {
    public let config: LeaderElectionConfig
    private let leases: DynamicResource
    private let callbacks: LeaderCallbacks
    private let logger: Logger
    private let lock = ConditionLock()

    // Guarded by `lock`.
    private var stopping = false
    private var thread: KubeThread?
    private var leadingThread: KubeThread?
    private var observedRecord: LeaderElectionRecord?
    private var observedResourceVersion: String?
    /// Monotonic time at which `observedRecord` was last seen to change.
    private var observedTime: UInt64 = 0
    private var reportedLeader: String?

    static let leaseResource = GroupVersionResource(group: "coordination.k8s.io", version: "v1", resource: "leases")

    public init(client: KubeClient, config: LeaderElectionConfig, callbacks: LeaderCallbacks,
                logger: Logger = Logger(label: "kubeclient.leaderelection")) throws(KubeError) {
        try config.validate()
        self.config = config
        self.callbacks = callbacks
        self.logger = logger
        leases = client.resource(Self.leaseResource).namespace(config.leaseNamespace)
        config.clock.register(lock)
    }

    /// Starts competing on a library thread. Idempotent; a stopped elector does not restart.
    public func start() throws(ThreadError) {
        let shouldStart = lock.withLock { () -> Bool in
            if thread != nil || stopping { return false }
            return true
        }
        guard shouldStart else { return }
        let t = try KubeThread.spawn(name: "leader-election-\(config.leaseName)") { [self] in run() }
        lock.withLock { thread = t }
    }

    /// Stops competing: a leader stops leading (`onStoppedLeading`) and, with
    /// `releaseOnCancel`, gives the lease up. Joins the elector's threads. Must not be
    /// called from `onStoppedLeading` or `onNewLeader`.
    public func stop() {
        let t = lock.withLock { () -> KubeThread? in
            stopping = true
            lock.broadcast()
            return thread
        }
        t?.join()
        // Read only after the loop thread has ended: it may start the leading thread up to
        // its last moment, and a handle read earlier would miss it (and leave it unjoined).
        let leading = lock.withLock { leadingThread }
        leading?.join()
    }

    /// True while this candidate holds the lease (as last observed).
    public var isLeader: Bool {
        lock.withLock { observedRecord?.holderIdentity == config.identity && !config.identity.isEmpty }
    }

    /// The identity of the current leader as last observed; nil when none is known.
    public var leader: String? {
        lock.withLock {
            guard let holder = observedRecord?.holderIdentity, !holder.isEmpty else { return nil }
            return holder
        }
    }

    // MARK: the loop

    private func run() {
        defer { lock.withLock { stopping = true } }
        guard acquire() else { return }
        let leading = try? KubeThread.spawn(name: "leader-\(config.leaseName)") { [callbacks] in
            callbacks.onStartedLeading()
        }
        lock.withLock { leadingThread = leading }
        renew()
        if config.releaseOnCancel { release() }
        callbacks.onStoppedLeading()
    }

    /// Tries every retryPeriod until this candidate holds the lease; false when stopped.
    private func acquire() -> Bool {
        while !isStopping {
            if tryAcquireOrRenew() { return true }
            reportLeaderChange()
            pause(jittered(config.retryPeriod))
        }
        return false
    }

    /// Renews every retryPeriod until a renewal keeps failing for renewDeadline or stop.
    private func renew() {
        var lastRenewal = config.clock.nanoseconds()
        let deadline = UInt64(max(0, config.renewDeadline.nanosecondsClamped))
        while !isStopping {
            pause(config.retryPeriod)
            if isStopping { return }
            if tryAcquireOrRenew() {
                lastRenewal = config.clock.nanoseconds()
                continue
            }
            reportLeaderChange()
            if !isLeaderByRecord || config.clock.nanoseconds() &- lastRenewal >= deadline {
                logger.info("failed to renew lease, stopping leading",
                            metadata: ["lease": "\(config.leaseNamespace)/\(config.leaseName)"])
                lock.withLock { if observedRecord?.holderIdentity == config.identity { observedRecord = nil } }
                return
            }
        }
    }

    /// One attempt (client-go's `tryAcquireOrRenew`). True when this candidate holds the
    /// lease afterwards.
    private func tryAcquireOrRenew() -> Bool {
        let nowWall = LeaderElectionRecord.microTime(config.clock.wallSeconds())
        var record = LeaderElectionRecord(holderIdentity: config.identity,
                                          leaseDurationSeconds: Int(config.leaseDuration.secondsDouble.rounded(.up)),
                                          acquireTime: nowWall, renewTime: nowWall, leaseTransitions: 0)
        let current: Unstructured
        do {
            current = try leases.get(config.leaseName)
        } catch let error where error.isNotFound {
            var lease = Unstructured(apiVersion: "coordination.k8s.io/v1", kind: "Lease", name: config.leaseName,
                                     namespace: config.leaseNamespace)
            lease.object["spec"] = record.spec
            do {
                let created = try leases.create(lease)
                observe(record, resourceVersion: created.resourceVersion, changed: true)
                return true
            } catch {
                logger.debug("could not create lease: \(error)")
                return false
            }
        } catch {
            logger.debug("could not get lease: \(error)")
            return false
        }

        let old = LeaderElectionRecord(spec: current.object["spec"])
        let now = config.clock.nanoseconds()
        let (expired, holdsIt) = lock.withLock { () -> (Bool, Bool) in
            if observedRecord != old || observedResourceVersion != current.resourceVersion {
                if observedRecord != old { observedTime = now }
                observedRecord = old
                observedResourceVersion = current.resourceVersion
            }
            let leaseNanos = UInt64(max(0, config.leaseDuration.nanosecondsClamped))
            return (observedTime &+ leaseNanos <= now, old.holderIdentity == config.identity)
        }
        if !old.holderIdentity.isEmpty && !expired && !holdsIt { return false }

        if holdsIt {
            record.acquireTime = old.acquireTime
            record.leaseTransitions = old.leaseTransitions
        } else {
            record.leaseTransitions = old.leaseTransitions + 1
        }
        var updated = current
        updated.object["spec"] = record.spec
        do {
            let stored = try leases.update(updated)
            observe(record, resourceVersion: stored.resourceVersion, changed: true)
            return true
        } catch {
            // A conflict means someone else wrote the lease first: they won this round.
            logger.debug("could not update lease: \(error)")
            return false
        }
    }

    /// Gives the lease up: holder cleared, lease duration 1 s (client-go's release).
    private func release() {
        guard let current = try? leases.get(config.leaseName) else { return }
        let old = LeaderElectionRecord(spec: current.object["spec"])
        guard old.holderIdentity == config.identity else { return }
        let nowWall = LeaderElectionRecord.microTime(config.clock.wallSeconds())
        let record = LeaderElectionRecord(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: nowWall,
                                          renewTime: nowWall, leaseTransitions: old.leaseTransitions)
        var updated = current
        updated.object["spec"] = record.spec
        if let stored = try? leases.update(updated) {
            observe(record, resourceVersion: stored.resourceVersion, changed: true)
        }
    }

    private func observe(_ record: LeaderElectionRecord, resourceVersion: String?, changed: Bool) {
        let now = config.clock.nanoseconds()
        lock.withLock {
            observedRecord = record
            observedResourceVersion = resourceVersion
            if changed { observedTime = now }
        }
        reportLeaderChange()
    }

    /// Calls onNewLeader when the observed holder differs from the last one reported.
    private func reportLeaderChange() {
        let newLeader = lock.withLock { () -> String? in
            guard let holder = observedRecord?.holderIdentity, !holder.isEmpty, holder != reportedLeader else { return nil }
            reportedLeader = holder
            return holder
        }
        if let newLeader { callbacks.onNewLeader(newLeader) }
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private var isLeaderByRecord: Bool {
        lock.withLock { observedRecord?.holderIdentity == config.identity }
    }

    /// Sleeps for `duration` on the configured clock, returning early on `stop()`.
    private func pause(_ duration: Duration) {
        let deadline = config.clock.deadline(after: duration)
        lock.withLock {
            while !stopping && config.clock.nanoseconds() < deadline {
                config.clock.wait(on: lock, deadline: deadline)
            }
        }
    }

    /// client-go's `wait.Jitter(retryPeriod, 1.2)`: up to 120 % longer, so candidates drift apart.
    private func jittered(_ duration: Duration) -> Duration {
        duration + duration * Double.random(in: 0..<1.2)
    }
}
