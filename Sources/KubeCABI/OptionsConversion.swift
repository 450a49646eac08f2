import CKubeABI
import KubeCore

/// Checks the `version` field of a caller's options struct.
enum OptionsVersion {
    /// `oldest` is the first layout this library still reads: a struct whose layout changed in
    /// a breaking release (seconds became milliseconds) refuses the older version rather than
    /// misreading a program built against it.
    static func check(_ version: UInt32, current: Int32, oldest: Int32 = 1, _ type: String) throws(CABIError) {
        guard version >= UInt32(oldest), version <= UInt32(current) else {
            let known = oldest == current ? "version \(current)" : "versions \(oldest)...\(current)"
            throw .invalidArgument("\(type).version is \(version); this library knows \(known) (initialise it with the _INIT macro or _options_init(), and rebuild against this library's headers)")
        }
    }
}

extension ListOptions {
    /// From a caller's `kc_list_options` (NULL = defaults).
    init(_ options: UnsafePointer<kc_list_options>?) throws(CABIError) {
        self.init()
        guard let options else { return }
        try OptionsVersion.check(options.pointee.version, current: KC_LIST_OPTIONS_VERSION, oldest: 2, "kc_list_options")
        let o = options.pointee
        labelSelector = try CStrings.optional(o.label_selector, "kc_list_options.label_selector")
        fieldSelector = try CStrings.optional(o.field_selector, "kc_list_options.field_selector")
        if o.limit < 0 { throw .invalidArgument("kc_list_options.limit is negative") }
        limit = o.limit > 0 ? Int(o.limit) : nil
        continueToken = try CStrings.optional(o.continue_token, "kc_list_options.continue_token")
        resourceVersion = try CStrings.optional(o.resource_version, "kc_list_options.resource_version", emptyIsNil: false)
        resourceVersionMatch = try CStrings.optional(o.resource_version_match, "kc_list_options.resource_version_match")
        if o.timeout_ms < 0 { throw .invalidArgument("kc_list_options.timeout_ms is negative") }
        timeoutSeconds = o.timeout_ms > 0 ? CMilliseconds.wholeSecondsRoundingUp(o.timeout_ms) : nil
        allowWatchBookmarks = o.allow_watch_bookmarks != 0
    }
}

extension DeleteOptions {
    /// From a caller's `kc_delete_options` (NULL = defaults).
    init(_ options: UnsafePointer<kc_delete_options>?) throws(CABIError) {
        self.init()
        guard let options else { return }
        try OptionsVersion.check(options.pointee.version, current: KC_DELETE_OPTIONS_VERSION, oldest: 2, "kc_delete_options")
        let o = options.pointee
        if o.has_grace_period != 0 {
            if o.grace_period_ms < 0 { throw .invalidArgument("kc_delete_options.grace_period_ms is negative") }
            gracePeriodSeconds = CMilliseconds.wholeSecondsRoundingUp(o.grace_period_ms)
        }
        if let policy = try CStrings.optional(o.propagation_policy, "kc_delete_options.propagation_policy") {
            guard let parsed = PropagationPolicy(rawValue: policy) else {
                throw .invalidArgument("kc_delete_options.propagation_policy must be Orphan, Background or Foreground, not \"\(policy)\"")
            }
            propagationPolicy = parsed
        }
        preconditionUID = try CStrings.optional(o.precondition_uid, "kc_delete_options.precondition_uid")
        preconditionResourceVersion = try CStrings.optional(o.precondition_resource_version, "kc_delete_options.precondition_resource_version")
        dryRun = o.dry_run != 0
    }
}

extension ApplyOptions {
    /// From a caller's `kc_apply_options` (NULL = defaults). Members are read one by one
    /// through the pointer: a version-1 caller's struct ends before `field_validation`, so
    /// copying the whole struct would read past it.
    init(_ options: UnsafePointer<kc_apply_options>?) throws(CABIError) {
        self.init(fieldManager: Self.defaultFieldManager)
        guard let options else { return }
        let version = options.pointee.version
        try OptionsVersion.check(version, current: KC_APPLY_OPTIONS_VERSION, "kc_apply_options")
        fieldManager = try CStrings.optional(options.pointee.field_manager, "kc_apply_options.field_manager")
            ?? Self.defaultFieldManager
        force = options.pointee.force != 0
        dryRun = options.pointee.dry_run != 0
        guard version >= 2 else { return }
        fieldValidation = try FieldValidation(options.pointee.field_validation, "kc_apply_options.field_validation")
    }
}

extension FieldValidation {
    /// From a caller's option string: NULL or "" = nil (server default); else exactly
    /// "Ignore", "Warn" or "Strict", as the API server spells them.
    init?(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CABIError) {
        guard let text = try CStrings.optional(pointer, name) else { return nil }
        guard let value = FieldValidation(rawValue: text) else {
            throw .invalidArgument("\(name) must be Ignore, Warn or Strict, not \"\(text)\"")
        }
        self = value
    }
}

/// The options of kc_create_ext, kc_update_ext and kc_patch_ext, converted once.
struct WriteOptions {
    var fieldManager: String?
    var dryRun = false
    var fieldValidation: FieldValidation?

    /// From a caller's `kc_write_options` (NULL = server defaults).
    init(_ options: UnsafePointer<kc_write_options>?) throws(CABIError) {
        guard let options else { return }
        try OptionsVersion.check(options.pointee.version, current: KC_WRITE_OPTIONS_VERSION, "kc_write_options")
        fieldManager = try CStrings.optional(options.pointee.field_manager, "kc_write_options.field_manager")
        dryRun = options.pointee.dry_run != 0
        fieldValidation = try FieldValidation(options.pointee.field_validation, "kc_write_options.field_validation")
    }

    var patchOptions: PatchOptions {
        PatchOptions(fieldManager: fieldManager, dryRun: dryRun, fieldValidation: fieldValidation)
    }
}

@_cdecl("kc_list_options_init")
public func kc_list_options_init(_ options: UnsafeMutablePointer<kc_list_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_LIST_OPTIONS_VERSION, oldest: 2, "kc_list_options")
        options.pointee = kc_list_options()
        options.pointee.version = version
    }
}

@_cdecl("kc_delete_options_init")
public func kc_delete_options_init(_ options: UnsafeMutablePointer<kc_delete_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_DELETE_OPTIONS_VERSION, oldest: 2, "kc_delete_options")
        options.pointee = kc_delete_options()
        options.pointee.version = version
    }
}

@_cdecl("kc_apply_options_init")
public func kc_apply_options_init(_ options: UnsafeMutablePointer<kc_apply_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_APPLY_OPTIONS_VERSION, "kc_apply_options")
        // Only the members of the caller's version exist in its struct.
        options.pointee.version = version
        options.pointee.field_manager = nil
        options.pointee.force = 0
        options.pointee.dry_run = 0
        if version >= 2 { options.pointee.field_validation = nil }
    }
}

@_cdecl("kc_write_options_init")
public func kc_write_options_init(_ options: UnsafeMutablePointer<kc_write_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_WRITE_OPTIONS_VERSION, "kc_write_options")
        options.pointee = kc_write_options()
        options.pointee.version = version
    }
}
