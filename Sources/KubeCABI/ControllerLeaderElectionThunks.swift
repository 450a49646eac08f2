import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

// kc_leader_elector: leader election on a Lease, with C callbacks.

/// What a `kc_leader_elector *` points at (the client handle is kept alive with it).
final class LeaderElectorHandle: Sendable {
    static let table = HandleTable<LeaderElectorHandle>(typeName: "kc_leader_elector")
    let elector: LeaderElector
    let client: ClientHandle

    init(elector: LeaderElector, client: ClientHandle) {
        self.elector = elector
        self.client = client
    }
}

/// The caller's callbacks and `user_data`.
///
/// `@unchecked Sendable`: immutable; the caller promised `user_data` stays valid and usable
/// from library threads until the elector is stopped (kc_leader_elector_new's contract).
final class CLeaderCallbacks: @unchecked Sendable {
    let callbacks: kc_leader_callbacks
    let userData: UnsafeMutableRawPointer?

    init(callbacks: kc_leader_callbacks, userData: UnsafeMutableRawPointer?) {
        self.callbacks = callbacks
        self.userData = userData
    }

    var swiftCallbacks: LeaderCallbacks {
        LeaderCallbacks(
            onStartedLeading: { [self] in callbacks.on_started_leading?(userData) },
            onStoppedLeading: { [self] in callbacks.on_stopped_leading?(userData) },
            onNewLeader: { [self] identity in
                guard let fn = callbacks.on_new_leader else { return }
                identity.withCString { fn($0, userData) }
            })
    }
}

@_cdecl("kc_leader_election_options_init")
public func kc_leader_election_options_init(_ options: UnsafeMutablePointer<kc_leader_election_options>?,
                                            _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_LEADER_ELECTION_OPTIONS_VERSION, oldest: 2,
                                 "kc_leader_election_options")
        options.pointee = kc_leader_election_options()
        options.pointee.version = version
    }
}

@_cdecl("kc_leader_elector_new")
public func kc_leader_elector_new(_ client: OpaquePointer?, _ leaseNamespace: UnsafePointer<CChar>?,
                                  _ leaseName: UnsafePointer<CChar>?, _ identity: UnsafePointer<CChar>?,
                                  _ options: UnsafePointer<kc_leader_election_options>?,
                                  _ callbacks: UnsafePointer<kc_leader_callbacks>?, _ userData: UnsafeMutableRawPointer?,
                                  _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let clientHandle = try ClientHandle.table.lookup(client)
        var config = LeaderElectionConfig(
            leaseNamespace: try CStrings.nonEmpty(leaseNamespace, "lease_namespace"),
            leaseName: try CStrings.nonEmpty(leaseName, "lease_name"),
            identity: try CStrings.nonEmpty(identity, "identity"))
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_LEADER_ELECTION_OPTIONS_VERSION, oldest: 2,
                                     "kc_leader_election_options")
            let o = options.pointee
            // 0 keeps LeaderElectionConfig's default (client-go's 15 s / 10 s / 2 s).
            if let value = try CMilliseconds.optionalSpan(o.lease_duration_ms, "lease_duration_ms") { config.leaseDuration = value }
            if let value = try CMilliseconds.optionalSpan(o.renew_deadline_ms, "renew_deadline_ms") { config.renewDeadline = value }
            if let value = try CMilliseconds.optionalSpan(o.retry_period_ms, "retry_period_ms") { config.retryPeriod = value }
            config.releaseOnCancel = o.keep_lease_on_stop == 0
        }
        var c = kc_leader_callbacks(version: UInt32(KC_LEADER_CALLBACKS_VERSION), on_started_leading: nil,
                                    on_stopped_leading: nil, on_new_leader: nil)
        if let callbacks {
            try OptionsVersion.check(callbacks.pointee.version, current: KC_LEADER_CALLBACKS_VERSION, "kc_leader_callbacks")
            c = callbacks.pointee
        }
        let box = CLeaderCallbacks(callbacks: c, userData: userData)
        let elector = try LeaderElector(client: clientHandle.client, config: config, callbacks: box.swiftCallbacks)
        out.pointee = LeaderElectorHandle.table.register(LeaderElectorHandle(elector: elector, client: clientHandle))
    }
}

@_cdecl("kc_leader_elector_start")
public func kc_leader_elector_start(_ elector: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try LeaderElectorHandle.table.lookup(elector)
        do { try handle.elector.start() } catch { throw CABIError.internalError("cannot start the leader elector: \(error)") }
    }
}

@_cdecl("kc_leader_elector_stop")
public func kc_leader_elector_stop(_ elector: OpaquePointer?) -> kc_status {
    cabiCall { try LeaderElectorHandle.table.lookup(elector).elector.stop() }
}

@_cdecl("kc_leader_elector_is_leader")
public func kc_leader_elector_is_leader(_ elector: OpaquePointer?) -> Int32 {
    cabiValue(0) { try LeaderElectorHandle.table.lookup(elector).elector.isLeader ? 1 : 0 }
}

@_cdecl("kc_leader_elector_leader")
public func kc_leader_elector_leader(_ elector: OpaquePointer?,
                                     _ outIdentity: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(outIdentity, "out_identity")
        let handle = try LeaderElectorHandle.table.lookup(elector)
        if let leader = handle.elector.leader { out.pointee = try CStrings.allocate(leader) }
    }
}

@_cdecl("kc_leader_elector_free")
public func kc_leader_elector_free(_ elector: OpaquePointer?) {
    guard let handle = LeaderElectorHandle.table.remove(elector) else { return }
    handle.elector.stop()
}
