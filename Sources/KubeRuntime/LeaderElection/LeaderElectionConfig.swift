import KubeClient
import KubeCore

/// Settings of a `LeaderElector` (client-go's `LeaderElectionConfig`).
public struct LeaderElectionConfig: Sendable {
    /// Namespace and name of the coordination.k8s.io/v1 Lease all candidates share.
    public var leaseNamespace: String
    public var leaseName: String
    /// This candidate's identity, unique among candidates (e.g. the pod name).
    public var identity: String
    /// How long others wait after the last observed change of the lease before they may take
    /// it over. Measured on each candidate's own clock from when *it* saw the lease change,
    /// so clock skew between candidates does not matter.
    public var leaseDuration: Duration = .seconds(15)
    /// How long the leader keeps retrying a failing renewal before it gives up leading.
    public var renewDeadline: Duration = .seconds(10)
    /// Time between attempts to acquire or renew.
    public var retryPeriod: Duration = .seconds(2)
    /// Whether `stop()` gives the lease up (so another candidate takes over at once).
    public var releaseOnCancel: Bool = true
    /// Time source (tests step a `ManualRuntimeClock`).
    public var clock: any RuntimeClock = SystemRuntimeClock()

    public init(leaseNamespace: String, leaseName: String, identity: String) {
        self.leaseNamespace = leaseNamespace
        self.leaseName = leaseName
        self.identity = identity
    }

    /// client-go's checks: leaseDuration > renewDeadline > 1.2 × retryPeriod, all positive.
    func validate() throws(KubeError) {
        if leaseName.isEmpty || leaseNamespace.isEmpty { throw .invalidArgument("leader election needs a lease namespace and name") }
        if identity.isEmpty { throw .invalidArgument("leader election needs an identity") }
        if retryPeriod <= .zero { throw .invalidArgument("retryPeriod must be positive") }
        if leaseDuration <= renewDeadline { throw .invalidArgument("leaseDuration must be greater than renewDeadline") }
        if renewDeadline <= retryPeriod * 1.2 { throw .invalidArgument("renewDeadline must be greater than 1.2 × retryPeriod") }
    }
}

/// What a `LeaderElector` tells its owner (client-go's `LeaderCallbacks`).
public struct LeaderCallbacks: Sendable {
    /// This candidate became the leader. Runs on a thread of its own (so it may block, e.g.
    /// run a controller) that `stop()` joins; stop that work in `onStoppedLeading`.
    public var onStartedLeading: @Sendable () -> Void
    /// This candidate stopped leading (renewal failed, or `stop()`). On the elector's thread.
    public var onStoppedLeading: @Sendable () -> Void
    /// The observed leader changed (also reported for this candidate). On the elector's thread.
    public var onNewLeader: @Sendable (String) -> Void

    public init(onStartedLeading: @escaping @Sendable () -> Void, onStoppedLeading: @escaping @Sendable () -> Void,
                onNewLeader: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onStartedLeading = onStartedLeading
        self.onStoppedLeading = onStoppedLeading
        self.onNewLeader = onNewLeader
    }
}
