import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

// kc_informer: start, stop, sync, indexes, registrations.

@_cdecl("kc_informer_start")
public func kc_informer_start(_ informer: OpaquePointer?) -> kc_status {
    cabiCall { try InformerHandle.table.lookup(informer).informer.start() }
}

@_cdecl("kc_informer_stop")
public func kc_informer_stop(_ informer: OpaquePointer?) -> kc_status {
    cabiCall { try InformerHandle.table.lookup(informer).informer.stop() }
}

@_cdecl("kc_informer_wait_for_sync")
public func kc_informer_wait_for_sync(_ informer: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    cabiCall {
        let handle = try InformerHandle.table.lookup(informer)
        if !handle.informer.waitForSync(timeout: InformerTimeout.duration(timeoutMs)) {
            throw InformerTimeout.error("the informer is", timeoutMs)
        }
    }
}

@_cdecl("kc_informer_has_synced")
public func kc_informer_has_synced(_ informer: OpaquePointer?) -> Int32 {
    cabiValue(0) { try InformerHandle.table.lookup(informer).informer.hasSynced ? 1 : 0 }
}

@_cdecl("kc_informer_add_index")
public func kc_informer_add_index(_ informer: OpaquePointer?, _ indexName: UnsafePointer<CChar>?, _ fn: kc_index_fn?,
                                  _ userData: UnsafeMutableRawPointer?) -> kc_status {
    cabiCall {
        let handle = try InformerHandle.table.lookup(informer)
        let name = try CStrings.nonEmpty(indexName, "index_name")
        guard let fn else { throw CABIError.invalidArgument("fn is NULL") }
        try handle.informer.indexer.addIndexers([name: CIndexFunction(fn: fn, userData: userData).indexFunction])
    }
}

@_cdecl("kc_informer_add_handlers")
public func kc_informer_add_handlers(_ informer: OpaquePointer?, _ handlers: UnsafePointer<kc_informer_handlers>?,
                                     _ userData: UnsafeMutableRawPointer?,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let handle = try InformerHandle.table.lookup(informer)
        guard let handlers else { throw CABIError.invalidArgument("handlers is NULL") }
        try OptionsVersion.check(handlers.pointee.version, current: KC_INFORMER_HANDLERS_VERSION, "kc_informer_handlers")
        let h = handlers.pointee
        if h.resync_period_ms < 0 { throw CABIError.invalidArgument("kc_informer_handlers.resync_period_ms is negative") }
        let c = CInformerHandlers(handlers: h, userData: userData)
        // Clamped: a huge period means "practically never", not a trap (issue 11, item 5).
        let resync = h.resync_period_ms > 0 ? Duration.seconds(clamping: Double(h.resync_period_ms) / 1000) : nil
        let registration = try handle.informer.addHandler(c.resourceEventHandler, resyncPeriod: resync)
        out.pointee = RegistrationHandle.table.register(RegistrationHandle(registration: registration, informer: handle.informer))
    }
}

@_cdecl("kc_informer_add_pull")
public func kc_informer_add_pull(_ informer: OpaquePointer?, _ resyncPeriodMs: Int64,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let handle = try InformerHandle.table.lookup(informer)
        if resyncPeriodMs < 0 { throw CABIError.invalidArgument("resync_period_ms is negative") }
        let registration = try handle.informer.addPullRegistration(
            resyncPeriod: resyncPeriodMs > 0 ? Duration.seconds(clamping: Double(resyncPeriodMs) / 1000) : nil)
        out.pointee = RegistrationHandle.table.register(RegistrationHandle(registration: registration, informer: handle.informer))
    }
}

// kc_informer_registration: has-synced, pull, remove, destructor.

@_cdecl("kc_informer_registration_has_synced")
public func kc_informer_registration_has_synced(_ registration: OpaquePointer?) -> Int32 {
    cabiValue(0) { try RegistrationHandle.table.lookup(registration).registration.hasSynced ? 1 : 0 }
}

@_cdecl("kc_informer_registration_fd")
public func kc_informer_registration_fd(_ registration: OpaquePointer?, _ outFD: UnsafeMutablePointer<Int32>?) -> kc_status {
    cabiCall {
        guard let outFD else { throw CABIError.invalidArgument("out_fd is NULL") }
        outFD.pointee = -1
        let handle = try RegistrationHandle.table.lookup(registration)
        let fd = handle.registration.fileDescriptor
        if fd < 0 { throw CABIError.invalidArgument("not a pull-mode registration") }
        outFD.pointee = fd
    }
}

@_cdecl("kc_informer_registration_next")
public func kc_informer_registration_next(_ registration: OpaquePointer?,
                                          _ out: UnsafeMutablePointer<kc_informer_event>?) -> kc_status {
    cabiCall {
        guard let out else { throw CABIError.invalidArgument("out is NULL") }
        let handle = try RegistrationHandle.table.lookup(registration)
        switch handle.registration.nextEvent() {
        case .event(let event): handle.publish(event, into: out)
        case .empty: handle.publish(nil, into: out)
        case .closed:
            handle.publish(nil, into: out)
            throw CABIError.closed("the registration was removed or its informer stopped")
        }
    }
}

@_cdecl("kc_informer_registration_remove")
public func kc_informer_registration_remove(_ registration: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try RegistrationHandle.table.lookup(registration)
        handle.informer.removeHandler(handle.registration)
    }
}

@_cdecl("kc_informer_registration_free")
public func kc_informer_registration_free(_ registration: OpaquePointer?) {
    // A concurrent second free finds the handle closing and waits for the callback too
    // (issue 11, item 2): removeHandler joins the delivery thread unless called from it.
    guard let handle = RegistrationHandle.table.beginClose(registration) else { return }
    handle.informer.removeHandler(handle.registration)
    // From a callback of the same informer a callback may still be running (nothing was
    // waited for): the table then drops the handle once the delivery thread has ended.
    if handle.registration.isDeliveryFinished { RegistrationHandle.table.endClose(handle) }
}

@_cdecl("kc_informer_set_watch_error_handler")
public func kc_informer_set_watch_error_handler(_ informer: OpaquePointer?, _ fn: kc_informer_watch_error_cb?,
                                                _ userData: UnsafeMutableRawPointer?) -> kc_status {
    cabiCall {
        let handle = try InformerHandle.table.lookup(informer)
        guard let fn else {
            handle.informer.setWatchErrorHandler(nil)
            return
        }
        let context = UserData(pointer: userData)
        handle.informer.setWatchErrorHandler { @Sendable (error: KubeError) -> Void in
            var record = TemporaryErrorRecord(ErrorDescription(error))
            record.withPointer { fn($0, context.pointer) }
        }
    }
}
