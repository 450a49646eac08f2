import CKubeABI
import KubeClient
import KubeCore

// kc_pod_logs: the whole log, or a stream (callbacks or pull).

extension PodLogOptions {
    /// From a caller's `kc_pod_log_options` (NULL = defaults); also its cancel token.
    static func from(_ options: UnsafePointer<kc_pod_log_options>?) throws(CABIError)
        -> (options: PodLogOptions, cancel: CancellationToken?) {
        var result = PodLogOptions()
        guard let options else { return (result, nil) }
        try OptionsVersion.check(options.pointee.version, current: KC_POD_LOG_OPTIONS_VERSION, oldest: 2, "kc_pod_log_options")
        let o = options.pointee
        result.container = try CStrings.optional(o.container, "kc_pod_log_options.container")
        result.follow = o.follow != 0
        result.previous = o.previous != 0
        if o.since_ms < 0 { throw .invalidArgument("kc_pod_log_options.since_ms is negative") }
        result.sinceSeconds = o.since_ms > 0 ? CMilliseconds.wholeSecondsRoundingUp(o.since_ms) : nil
        result.sinceTime = try CStrings.optional(o.since_time, "kc_pod_log_options.since_time")
        result.timestamps = o.timestamps != 0
        if o.has_tail_lines != 0 {
            if o.tail_lines < 0 { throw .invalidArgument("kc_pod_log_options.tail_lines is negative") }
            result.tailLines = Int(o.tail_lines)
        }
        if o.limit_bytes < 0 { throw .invalidArgument("kc_pod_log_options.limit_bytes is negative") }
        result.limitBytes = o.limit_bytes > 0 ? Int(o.limit_bytes) : nil
        result.insecureSkipTLSVerifyBackend = o.insecure_skip_tls_verify_backend != 0
        // NULL means "not cancellable"; a freed handle is an error, not a silent "no token".
        let cancel = o.cancel == nil ? nil : try CancelHandle.table.lookup(o.cancel).token
        return (result, cancel)
    }
}

@_cdecl("kc_pod_log_options_init")
public func kc_pod_log_options_init(_ options: UnsafeMutablePointer<kc_pod_log_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_POD_LOG_OPTIONS_VERSION, oldest: 2, "kc_pod_log_options")
        options.pointee = kc_pod_log_options()
        options.pointee.version = version
    }
}

@_cdecl("kc_pod_logs")
public func kc_pod_logs(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                        _ options: UnsafePointer<kc_pod_log_options>?,
                        _ outLog: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                        _ outLength: UnsafeMutablePointer<Int>?) -> kc_status {
    outLength?.pointee = 0
    return cabiCall {
        let outLog = try requireOut(outLog, "out_log")
        let target = try PodTarget(client, namespace, pod)
        let (logOptions, cancel) = try PodLogOptions.from(options)
        let log = try target.handle.client.podLogBytes(namespace: target.namespace, pod: target.pod, options: logOptions,
                                                       cancellation: cancel)
        outLog.pointee = try CStrings.allocate(log)
        outLength?.pointee = log.count
    }
}

@_cdecl("kc_pod_logs_start")
public func kc_pod_logs_start(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                              _ options: UnsafePointer<kc_pod_log_options>?, _ onData: kc_stream_data_cb?,
                              _ onDone: kc_stream_done_cb?, _ userData: UnsafeMutableRawPointer?,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        guard let onData else { throw CABIError.invalidArgument("on_data is NULL") }
        let (source, cancel) = try openLog(client, namespace, pod, options)
        let handle = StreamHandle(source: source, delivery: .callbacks(onData: onData, onDone: onDone), userData: userData,
                                  cancel: cancel)
        out.pointee = try StreamHandle.register(handle)
    }
}

@_cdecl("kc_pod_logs_open")
public func kc_pod_logs_open(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                             _ options: UnsafePointer<kc_pod_log_options>?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let (source, cancel) = try openLog(client, namespace, pod, options)
        let handle: StreamHandle
        do {
            handle = try StreamHandle.pull(source, cancel: cancel)
        } catch {
            source.stop()
            throw error
        }
        out.pointee = try StreamHandle.register(handle)
    }
}

/// Both stream constructors: the log request, answered 200 (errors are thrown here).
private func openLog(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                     _ options: UnsafePointer<kc_pod_log_options>?) throws -> (PodLogSource, CancellationToken?) {
    let target = try PodTarget(client, namespace, pod)
    let (logOptions, cancel) = try PodLogOptions.from(options)
    let stream = try target.handle.client.podLogs(namespace: target.namespace, pod: target.pod, options: logOptions,
                                                  cancellation: cancel)
    return (PodLogSource(stream: stream), cancel)
}
