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
        try startWatch(client, apiVersion, resource, namespace, options, handlers, userData, out,
                       resumable: false)
    }
}

@_cdecl("kc_watch_start_resumable")
public func kc_watch_start_resumable(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                                     _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                                     _ options: UnsafePointer<kc_list_options>?,
                                     _ handlers: UnsafePointer<kc_watch_handlers>?,
                                     _ userData: UnsafeMutableRawPointer?,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        try startWatch(client, apiVersion, resource, namespace, options, handlers, userData, out,
                       resumable: true)
    }
}

/// Both watch constructors: checks the arguments, registers the handle, starts its thread.
private func startWatch(_ client: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                        _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                        _ options: UnsafePointer<kc_list_options>?, _ handlers: UnsafePointer<kc_watch_handlers>?,
                        _ userData: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                        resumable: Bool) throws {
    let out = try requireOut(out)
    let target = try ResourceTarget(client, apiVersion, resource, namespace)
    try target.requireNoSubresource()
    let listOptions = try ListOptions(options)
    guard let handlers else { throw CABIError.invalidArgument("handlers is NULL") }
    try OptionsVersion.check(handlers.pointee.version, current: KC_WATCH_HANDLERS_VERSION, "kc_watch_handlers")
    let watch = WatchHandle(handlers: handlers.pointee, userData: userData, resumable: resumable)
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

@_cdecl("kc_watch_stop")
public func kc_watch_stop(_ watch: OpaquePointer?) -> kc_status {
    cabiCall {
        let (handle, isClosing) = try WatchHandle.table.lookupIncludingClosing(watch)
        handle.stop()
        // Racing a kc_watch_free: waited like it (above), then reported as a freed handle.
        if isClosing { throw CABIError.closed("kc_watch handle was freed") }
    }
}

@_cdecl("kc_watch_wait")
public func kc_watch_wait(_ watch: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    let handle: WatchHandle
    do {
        handle = try WatchHandle.table.lookup(watch)
        if handle.isWatchThread {
            throw CABIError.invalidArgument("cannot wait for a watch from its own callback (it would never return)")
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
    // A concurrent second free finds the handle closing and waits too (issue 11, item 2).
    guard let handle = WatchHandle.table.beginClose(watch) else { return }
    handle.owner?.untrack(handle)
    handle.stop()
    // From the watch's own callback the thread is still running: the table drops the
    // handle once it has finished.
    if !handle.isWatchThread { WatchHandle.table.endClose(handle) }
}
