import CKubeABI
import KubeCore
import KubeRuntime

// kc_controller: worker threads reconciling the keys of a workqueue.

@_cdecl("kc_controller_options_init")
public func kc_controller_options_init(_ options: UnsafeMutablePointer<kc_controller_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_CONTROLLER_OPTIONS_VERSION, oldest: 2, "kc_controller_options")
        options.pointee = kc_controller_options()
        options.pointee.version = version
        options.pointee.queue.version = UInt32(KC_WORKQUEUE_OPTIONS_VERSION)
    }
}

@_cdecl("kc_controller_new")
public func kc_controller_new(_ options: UnsafePointer<kc_controller_options>?, _ reconcile: kc_reconcile_cb?,
                              _ userData: UnsafeMutableRawPointer?,
                              _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        guard let reconcile else { throw CABIError.invalidArgument("reconcile is NULL") }
        var name = Controller<String>.defaultName
        var workers = Controller<String>.defaultWorkers
        var maxRetries: Int?
        var queue: RateLimitingQueue<String>
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_CONTROLLER_OPTIONS_VERSION, oldest: 2,
                                     "kc_controller_options")
            let o = options.pointee
            name = try CStrings.optional(o.name, "kc_controller_options.name") ?? name
            if o.workers < 0 { throw CABIError.invalidArgument("kc_controller_options.workers is negative") }
            // Each worker is a thread: INT_MAX workers would exhaust the process, not help it.
            if o.workers > 1024 { throw CABIError.invalidArgument("kc_controller_options.workers is above 1024") }
            if o.workers > 0 { workers = Int(o.workers) }
            if o.max_retries > 0 { maxRetries = Int(o.max_retries) }
            try WorkqueueOptions.check(o.queue.version, "kc_controller_options.queue")
            queue = try WorkqueueOptions.makeQueue(o.queue, defaultName: name)
        } else {
            queue = RateLimitingQueue(name: name)
        }
        let callback = CReconcile(fn: reconcile, userData: userData)
        let controller = Controller<String>(name: name, workers: workers, queue: queue, maxRetries: maxRetries) { key in
            try callback(key)
        }
        out.pointee = ControllerHandle.table.register(ControllerHandle(controller: controller))
    }
}

@_cdecl("kc_controller_queue")
public func kc_controller_queue(_ controller: OpaquePointer?) -> OpaquePointer? {
    cabiValue(nil) { try ControllerHandle.table.lookup(controller).queuePointer }
}

@_cdecl("kc_controller_start")
public func kc_controller_start(_ controller: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try ControllerHandle.table.lookup(controller)
        do { try handle.controller.start() } catch { throw CABIError.internalError("cannot start the controller: \(error)") }
    }
}

@_cdecl("kc_controller_stop")
public func kc_controller_stop(_ controller: OpaquePointer?) -> kc_status {
    cabiCall {
        let (handle, isClosing) = try ControllerHandle.table.lookupIncludingClosing(controller)
        if handle.controller.isWorkerThread {
            throw CABIError.invalidArgument("a controller cannot be stopped from its own reconcile callback (it would wait for itself)")
        }
        handle.controller.stop()
        // Racing a kc_controller_free: waited like it (above), then reported as a freed handle.
        if isClosing { throw CABIError.closed("kc_controller handle was freed") }
    }
}

@_cdecl("kc_controller_run_until_signal")
public func kc_controller_run_until_signal(_ controller: OpaquePointer?, _ outSignal: UnsafeMutablePointer<Int32>?) -> kc_status {
    cabiCall {
        outSignal?.pointee = 0
        let handle = try ControllerHandle.table.lookup(controller)
        do {
            let signal = try handle.controller.runUntilTerminated()
            outSignal?.pointee = signal
        } catch {
            throw CABIError.internalError("the controller could not run: \(error)")
        }
    }
}

@_cdecl("kc_wait_for_termination")
public func kc_wait_for_termination() -> Int32 {
    TerminationSignals.wait()
}

@_cdecl("kc_terminate_trigger")
public func kc_terminate_trigger() {
    TerminationSignals.trigger()
}

@_cdecl("kc_controller_free")
public func kc_controller_free(_ controller: OpaquePointer?) {
    // A concurrent second free finds the handle closing and waits for the workers too.
    guard let pointer = controller,
          let (handle, _) = try? ControllerHandle.table.lookupIncludingClosing(pointer),
          !handle.controller.isWorkerThread, let removed = ControllerHandle.table.beginClose(pointer) else { return }
    removed.controller.stop()
    _ = WorkqueueHandle.table.remove(removed.queuePointer)
    ControllerHandle.table.endClose(removed)
}
