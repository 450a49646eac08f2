import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

// kc_informer_factory: constructor, informer lookup, start, wait, shutdown, destructor.

@_cdecl("kc_informer_factory_options_init")
public func kc_informer_factory_options_init(_ options: UnsafeMutablePointer<kc_informer_factory_options>?,
                                             _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_INFORMER_FACTORY_OPTIONS_VERSION, "kc_informer_factory_options")
        // Only the members of the caller's version exist in its struct.
        options.pointee.version = version
        options.pointee.drop_managed_fields = 0
        options.pointee.page_size = 0
        options.pointee.idle_timeout_ms = 0
        if version >= 2 {
            options.pointee.streaming_list = 0
            options.pointee.backoff_initial_ms = 0
            options.pointee.backoff_max_ms = 0
        }
    }
}

@_cdecl("kc_informer_options_init")
public func kc_informer_options_init(_ options: UnsafeMutablePointer<kc_informer_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_INFORMER_OPTIONS_VERSION, "kc_informer_options")
        options.pointee = kc_informer_options(version: version, label_selector: nil, field_selector: nil, metadata_only: 0)
    }
}

@_cdecl("kc_informer_factory_new")
public func kc_informer_factory_new(_ client: OpaquePointer?, _ options: UnsafePointer<kc_informer_factory_options>?,
                                    _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let clientHandle = try ClientHandle.table.lookup(client)
        var factoryOptions = InformerFactory.Options()
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_INFORMER_FACTORY_OPTIONS_VERSION,
                                     "kc_informer_factory_options")
            factoryOptions = try InformerFactory.Options(options)
        }
        let factory = InformerFactory(client: clientHandle.client, options: factoryOptions)
        out.pointee = InformerFactoryHandle.table.register(InformerFactoryHandle(factory: factory, client: clientHandle))
    }
}

@_cdecl("kc_informer_factory_informer")
public func kc_informer_factory_informer(_ factory: OpaquePointer?, _ apiVersion: UnsafePointer<CChar>?,
                                         _ resource: UnsafePointer<CChar>?, _ namespace: UnsafePointer<CChar>?,
                                         _ options: UnsafePointer<kc_informer_options>?,
                                         _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let handle = try InformerFactoryHandle.table.lookup(factory)
        let version = try CStrings.nonEmpty(apiVersion, "api_version")
        let plural = try CStrings.nonEmpty(resource, "resource")
        if plural.contains("/") {
            throw CABIError.invalidArgument("resource \"\(plural)\" cannot have a subresource")
        }
        var key = InformerKey(resource: GroupVersionResource(apiVersion: version, resource: plural),
                              namespace: try CStrings.optional(namespace, "namespace_name"))
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_INFORMER_OPTIONS_VERSION, "kc_informer_options")
            let o = options.pointee
            key = InformerKey(resource: key.resource, namespace: key.namespace,
                              labelSelector: try CStrings.optional(o.label_selector, "kc_informer_options.label_selector"),
                              fieldSelector: try CStrings.optional(o.field_selector, "kc_informer_options.field_selector"), metadataOnly: o.metadata_only != 0)
        }
        let informer = try handle.factory.informer(for: key)
        out.pointee = handle.handle(for: informer)
    }
}

@_cdecl("kc_informer_factory_start")
public func kc_informer_factory_start(_ factory: OpaquePointer?) -> kc_status {
    cabiCall {
        try InformerFactoryHandle.table.lookup(factory).factory.start()
    }
}

@_cdecl("kc_informer_factory_wait_for_sync")
public func kc_informer_factory_wait_for_sync(_ factory: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    cabiCall {
        let handle = try InformerFactoryHandle.table.lookup(factory)
        if !handle.factory.waitForSync(timeout: InformerTimeout.duration(timeoutMs)) {
            throw InformerTimeout.error("the informers are", timeoutMs)
        }
    }
}

@_cdecl("kc_informer_factory_shutdown")
public func kc_informer_factory_shutdown(_ factory: OpaquePointer?) -> kc_status {
    cabiCall {
        try InformerFactoryHandle.table.lookup(factory).factory.shutdown()
    }
}

@_cdecl("kc_informer_factory_free")
public func kc_informer_factory_free(_ factory: OpaquePointer?) {
    // A concurrent second free finds the handle closing and waits for the callbacks too
    // (issue 11, item 2): shutdown joins every informer thread but the caller's own.
    guard let handle = InformerFactoryHandle.table.beginClose(factory) else { return }
    handle.factory.shutdown()
    handle.releaseInformers()
    // Called from one of the factory's callbacks, that callback is still running: the table
    // drops the handle once every informer thread has ended.
    if handle.factory.isQuiescent { InformerFactoryHandle.table.endClose(handle) }
}

/// Timeouts in milliseconds as the informer thunks take them (< 0 = forever).
enum InformerTimeout {
    /// Clamped to `MonotonicClock.maxSeconds`: INT64_MAX ms waits (practically) forever.
    static func duration(_ ms: Int64) -> Duration {
        .seconds(clamping: ms < 0 ? MonotonicClock.maxSeconds : Double(ms) / 1000)
    }

    /// `subject` says what is not synced ("the informer is").
    static func error(_ subject: String, _ ms: Int64) -> CABIError {
        CABIError(status: KC_ERR_TIMEOUT, message: "\(subject) not synced after \(ms) ms")
    }
}

extension InformerFactory.Options {
    /// From a caller's `kc_informer_factory_options` of a checked version. Members are read
    /// one by one through the pointer: a version-1 caller's struct ends before the
    /// version-2 members, so copying the whole struct would read past it.
    init(_ options: UnsafePointer<kc_informer_factory_options>) throws(CABIError) {
        self.init()
        let version = options.pointee.version
        if options.pointee.drop_managed_fields != 0 { transform = .dropManagedFields }
        let pageSize = options.pointee.page_size
        if pageSize < 0 { self.pageSize = nil } else if pageSize > 0 { self.pageSize = Int(pageSize) }
        let idle = options.pointee.idle_timeout_ms
        if idle < 0 { throw .invalidArgument("kc_informer_factory_options.idle_timeout_ms is negative") }
        if idle > 0 { idleTimeout = .seconds(clamping: Double(idle) / 1000) }
        guard version >= 2 else { return }
        streamingList = options.pointee.streaming_list != 0
        let initial = options.pointee.backoff_initial_ms
        let maximum = options.pointee.backoff_max_ms
        if initial < 0 || maximum < 0 { throw .invalidArgument("kc_informer_factory_options.backoff_*_ms is negative") }
        if initial > 0 { backoff.initialDelay = .seconds(clamping: Double(initial) / 1000) }
        if maximum > 0 { backoff.maxDelay = .seconds(clamping: Double(maximum) / 1000) }
        if backoff.initialDelay > backoff.maxDelay {
            throw .invalidArgument("kc_informer_factory_options.backoff_initial_ms is larger than backoff_max_ms")
        }
        backoff.reset()
    }
}
