import CKubeABI
import KubeClient
import KubeCore

// kc_watch: constructor, stop, wait, destructor.

@_cdecl("kc_watch_start")
public func kc_watch_start(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                           _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                           _ options: UnsafePointer<kc_list_options>?, _ handlers: UnsafePointer<kc_watch_handlers>?,
                           _ userData: UnsafeMutableRawPointer?,
                           _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out, "kc_watch_start")
        let target = try ResourceTarget(client, apiVersion, resource, namespace, "kc_watch_start")
        try target.requireNoSubresource()
        let listOptions = try ListOptions(options)
        guard let handlers else { throw CABIError.invalidArgument("kc_watch_start: handlers is NULL") }
        try OptionsVersion.check(handlers.pointee.version, current: KC_WATCH_HANDLERS_VERSION, "kc_watch_handlers")
        let watch = WatchHandle(handlers: handlers.pointee, userData: userData)
        watch.owner = target.handle
        // Registered before the thread starts, so a callback may already stop or free it.
        let pointer = WatchHandle.table.register(watch)
        target.handle.track(watch)
        do {
            try watch.start(resource: target.dynamic, options: listOptions)
        } catch {
            _ = WatchHandle.table.remove(pointer)
            target.handle.untrack(watch)
            throw error
        }
        out.pointee = pointer
    }
}

@_cdecl("kc_watch_stop")
public func kc_watch_stop(_ watch: OpaquePointer?) -> kc_status {
    cabiCall {
        try WatchHandle.table.lookup(watch, "kc_watch_stop").stop()
    }
}

@_cdecl("kc_watch_wait")
public func kc_watch_wait(_ watch: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    let handle: WatchHandle
    do {
        handle = try WatchHandle.table.lookup(watch, "kc_watch_wait")
        if handle.isWatchThread {
            throw CABIError.invalidArgument("kc_watch_wait: called from the watch's own callback (it would never return)")
        }
    } catch {
        return ErrorRecord.set(ErrorDescription(error))
    }
    guard let outcome = handle.wait(timeoutMs: timeoutMs) else {
        return ErrorRecord.set(ErrorDescription(status: KC_ERR_TIMEOUT, httpCode: 0, reason: "",
                                                message: "the watch is still running after \(timeoutMs) ms"))
    }
    return ErrorRecord.set(outcome)
}

@_cdecl("kc_watch_free")
public func kc_watch_free(_ watch: OpaquePointer?) {
    guard let handle = WatchHandle.table.remove(watch) else { return }
    handle.owner?.untrack(handle)
    handle.release()
}
