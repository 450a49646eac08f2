import CKubeABI
import KubeClient
import KubeCore

// kc_client: options, constructor, destructor.

@_cdecl("kc_client_options_init")
public func kc_client_options_init(_ options: UnsafeMutablePointer<kc_client_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_CLIENT_OPTIONS_VERSION, "kc_client_options")
        options.pointee = kc_client_options(version: version, qps: 0, burst: 0, timeout_ms: 0, user_agent: nil)
    }
}

@_cdecl("kc_client_new")
public func kc_client_new(_ config: OpaquePointer?, _ options: UnsafePointer<kc_client_options>?,
                          _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        var restConfig = try ConfigHandle.table.lookup(config).config
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_CLIENT_OPTIONS_VERSION, "kc_client_options")
            let o = options.pointee
            // Any finite qps is safe: the limiter clamps the waits a tiny qps asks for.
            if !o.qps.isFinite { throw CABIError.invalidArgument("qps is not a finite number") }
            if o.qps != 0 { restConfig.qps = o.qps }
            if o.burst < 0 { throw CABIError.invalidArgument("burst is negative") }
            if o.burst > 0 { restConfig.burst = Int(o.burst) }
            if o.timeout_ms < 0 { throw CABIError.invalidArgument("timeout_ms is negative") }
            // Clamped to MonotonicClock.maxSeconds so no conversion below can overflow.
            if o.timeout_ms > 0 {
                restConfig.timeout = .milliseconds(min(o.timeout_ms, Int64(MonotonicClock.maxSeconds) * 1000))
            }
            if let agent = try CStrings.optional(o.user_agent, "kc_client_options.user_agent") { restConfig.userAgent = agent }
        }
        let client = try KubeClient(config: restConfig)
        out.pointee = ClientHandle.table.register(ClientHandle(client: client))
    }
}

@_cdecl("kc_client_free")
public func kc_client_free(_ client: OpaquePointer?) {
    guard let handle = ClientHandle.table.remove(client) else { return }
    // Kill a running exec plugin first: a watch waiting for its credential then ends at once.
    handle.client.close()
    handle.stopWatches()
}
