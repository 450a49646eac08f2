import CKubeABI
import KubeCore
import KubeRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// kc_workqueue: a rate-limited queue of string keys.

@_cdecl("kc_workqueue_options_init")
public func kc_workqueue_options_init(_ options: UnsafeMutablePointer<kc_workqueue_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try WorkqueueOptions.check(version, "kc_workqueue_options")
        options.pointee = kc_workqueue_options()
        options.pointee.version = version
    }
}

@_cdecl("kc_workqueue_new")
public func kc_workqueue_new(_ options: UnsafePointer<kc_workqueue_options>?,
                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let queue = try WorkqueueOptions.makeQueue(options)
        out.pointee = WorkqueueHandle.table.register(WorkqueueHandle(queue: queue, owned: true))
    }
}

@_cdecl("kc_workqueue_free")
public func kc_workqueue_free(_ queue: OpaquePointer?) {
    guard let pointer = queue, let handle = try? WorkqueueHandle.table.lookup(pointer),
          handle.owned, let removed = WorkqueueHandle.table.remove(pointer) else { return }
    removed.queue.shutDown()
}

@_cdecl("kc_workqueue_add")
public func kc_workqueue_add(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?) -> kc_status {
    cabiCall {
        let handle = try WorkqueueHandle.table.lookup(queue)
        handle.queue.add(try CStrings.required(key, "key"))
    }
}

@_cdecl("kc_workqueue_add_after")
public func kc_workqueue_add_after(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?, _ delayMs: Int64) -> kc_status {
    cabiCall {
        let handle = try WorkqueueHandle.table.lookup(queue)
        handle.queue.addAfter(try CStrings.required(key, "key"), delay: CMilliseconds.delay(delayMs))
    }
}

@_cdecl("kc_workqueue_add_rate_limited")
public func kc_workqueue_add_rate_limited(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?) -> kc_status {
    cabiCall {
        let handle = try WorkqueueHandle.table.lookup(queue)
        handle.queue.addRateLimited(try CStrings.required(key, "key"))
    }
}

@_cdecl("kc_workqueue_forget")
public func kc_workqueue_forget(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?) -> kc_status {
    cabiCall {
        let handle = try WorkqueueHandle.table.lookup(queue)
        handle.queue.forget(try CStrings.required(key, "key"))
    }
}

@_cdecl("kc_workqueue_num_requeues")
public func kc_workqueue_num_requeues(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?) -> Int32 {
    cabiValue(0) {
        let handle = try WorkqueueHandle.table.lookup(queue)
        return Int32(clamping: handle.queue.numRequeues(try CStrings.required(key, "key")))
    }
}

@_cdecl("kc_workqueue_get")
public func kc_workqueue_get(_ queue: OpaquePointer?, _ timeoutMs: Int64,
                             _ outKey: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                             _ outShutdown: UnsafeMutablePointer<Int32>?) -> kc_status {
    cabiCall {
        let outKey = try requireOut(outKey, "out_key")
        outShutdown?.pointee = 0
        let handle = try WorkqueueHandle.table.lookup(queue)
        let key: String
        if let timeout = CMilliseconds.timeout(timeoutMs) {
            switch handle.queue.get(timeout: timeout) {
            case .item(let next): key = next
            case .timedOut: return
            case .shutDown:
                outShutdown?.pointee = 1
                return
            }
        } else {
            guard let next = handle.queue.get() else {
                outShutdown?.pointee = 1
                return
            }
            key = next
        }
        guard let copy = key.withCString({ strdup($0) }) else {
            handle.queue.done(key)  // the caller never saw it
            throw CABIError.internalError("out of memory")
        }
        outKey.pointee = copy
    }
}

@_cdecl("kc_workqueue_done")
public func kc_workqueue_done(_ queue: OpaquePointer?, _ key: UnsafePointer<CChar>?) -> kc_status {
    cabiCall {
        let handle = try WorkqueueHandle.table.lookup(queue)
        handle.queue.done(try CStrings.required(key, "key"))
    }
}

@_cdecl("kc_workqueue_len")
public func kc_workqueue_len(_ queue: OpaquePointer?) -> Int {
    cabiValue(0) { try WorkqueueHandle.table.lookup(queue).queue.count }
}

@_cdecl("kc_workqueue_is_shutting_down")
public func kc_workqueue_is_shutting_down(_ queue: OpaquePointer?) -> Int32 {
    cabiValue(0) { try WorkqueueHandle.table.lookup(queue).queue.isShuttingDown ? 1 : 0 }
}

@_cdecl("kc_workqueue_shutdown")
public func kc_workqueue_shutdown(_ queue: OpaquePointer?) -> kc_status {
    cabiCall { try WorkqueueHandle.table.lookup(queue).queue.shutDown() }
}

@_cdecl("kc_workqueue_shutdown_drain")
public func kc_workqueue_shutdown_drain(_ queue: OpaquePointer?) -> kc_status {
    cabiCall { try WorkqueueHandle.table.lookup(queue).queue.shutDownWithDrain() }
}

@_cdecl("kc_workqueue_get_metrics")
public func kc_workqueue_get_metrics(_ queue: OpaquePointer?, _ out: UnsafeMutablePointer<kc_workqueue_metrics>?) -> kc_status {
    cabiCall {
        guard let out else { throw CABIError.invalidArgument("out is NULL") }
        try OptionsVersion.check(out.pointee.version, current: KC_WORKQUEUE_METRICS_VERSION, oldest: 2, "kc_workqueue_metrics")
        let m = try WorkqueueHandle.table.lookup(queue).queue.metrics()
        var r = kc_workqueue_metrics()
        r.version = out.pointee.version
        r.depth = Int64(m.depth)
        r.processing = Int64(m.processing)
        r.waiting_for_delay = Int64(m.waitingForDelay)
        r.adds = m.adds
        r.retries = m.retries
        r.queue_latency = kc_duration_histogram(m.queueLatency)
        r.work_duration = kc_duration_histogram(m.workDuration)
        r.unfinished_work_ms = CMilliseconds.measured(m.unfinishedWork)
        r.longest_running_processor_ms = CMilliseconds.measured(m.longestRunningProcessor)
        out.pointee = r
    }
}
