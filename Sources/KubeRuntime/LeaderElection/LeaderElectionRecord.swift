import FoundationEssentials
import KubeCore

/// The spec of a coordination.k8s.io/v1 Lease, as leader election reads and writes it.
struct LeaderElectionRecord: Hashable, Sendable {
    var holderIdentity: String
    var leaseDurationSeconds: Int
    var acquireTime: String
    var renewTime: String
    var leaseTransitions: Int

    init(holderIdentity: String, leaseDurationSeconds: Int, acquireTime: String, renewTime: String, leaseTransitions: Int) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    init(spec: JSON?) {
        holderIdentity = spec?["holderIdentity"]?.stringValue ?? ""
        leaseDurationSeconds = Int(spec?["leaseDurationSeconds"]?.intValue ?? 0)
        acquireTime = spec?["acquireTime"]?.stringValue ?? ""
        renewTime = spec?["renewTime"]?.stringValue ?? ""
        leaseTransitions = Int(spec?["leaseTransitions"]?.intValue ?? 0)
    }

    var spec: JSON {
        var spec: JSON = [
            "leaseDurationSeconds": .int(Int64(leaseDurationSeconds)),
            "leaseTransitions": .int(Int64(leaseTransitions)),
        ]
        // An empty holder (a released lease) is written as absent, like client-go.
        if !holderIdentity.isEmpty { spec["holderIdentity"] = .string(holderIdentity) }
        if !acquireTime.isEmpty { spec["acquireTime"] = .string(acquireTime) }
        if !renewTime.isEmpty { spec["renewTime"] = .string(renewTime) }
        return spec
    }

    /// A `metav1.MicroTime` string for `wallSeconds` since 1970.
    static func microTime(_ wallSeconds: Double) -> String {
        RFC3339.formatMicro(Date(timeIntervalSince1970: wallSeconds))
    }
}
