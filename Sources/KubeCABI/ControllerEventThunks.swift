import CKubeABI
import KubeClient
import KubeCore
import KubeRuntime

// kc_event_recorder: core/v1 Events, aggregated and rate limited.

/// What a `kc_event_recorder *` points at (the client handle is kept alive with it).
final class EventRecorderHandle: Sendable {
    static let table = HandleTable<EventRecorderHandle>(typeName: "kc_event_recorder")
    let recorder: EventRecorder
    let client: ClientHandle

    init(recorder: EventRecorder, client: ClientHandle) {
        self.recorder = recorder
        self.client = client
    }
}

@_cdecl("kc_event_recorder_options_init")
public func kc_event_recorder_options_init(_ options: UnsafeMutablePointer<kc_event_recorder_options>?,
                                           _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_EVENT_RECORDER_OPTIONS_VERSION, "kc_event_recorder_options")
        options.pointee = kc_event_recorder_options(version: version, host: nil, qps: 0, burst: 0)
    }
}

@_cdecl("kc_event_recorder_new")
public func kc_event_recorder_new(_ client: OpaquePointer?, _ component: UnsafePointer<CChar>?,
                                  _ options: UnsafePointer<kc_event_recorder_options>?,
                                  _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let clientHandle = try ClientHandle.table.lookup(client)
        let component = try CStrings.nonEmpty(component, "component")
        var host = ""
        var qps = EventRecorder.defaultQPS
        var burst = EventRecorder.defaultBurst
        if let options {
            try OptionsVersion.check(options.pointee.version, current: KC_EVENT_RECORDER_OPTIONS_VERSION,
                                     "kc_event_recorder_options")
            let o = options.pointee
            host = try CStrings.optional(o.host, "kc_event_recorder_options.host") ?? ""
            if o.qps.isNaN || o.qps < 0 { throw CABIError.invalidArgument("kc_event_recorder_options.qps is negative") }
            if o.burst < 0 { throw CABIError.invalidArgument("kc_event_recorder_options.burst is negative") }
            if o.qps > 0 { qps = o.qps }
            if o.burst > 0 { burst = Int(o.burst) }
        }
        let recorder = EventRecorder(client: clientHandle.client, component: component, host: host, qps: qps, burst: burst)
        out.pointee = EventRecorderHandle.table.register(EventRecorderHandle(recorder: recorder, client: clientHandle))
    }
}

@_cdecl("kc_event_recorder_record")
public func kc_event_recorder_record(_ recorder: OpaquePointer?, _ object: UnsafePointer<kc_object_reference>?,
                                     _ type: kc_event_record_type, _ reason: UnsafePointer<CChar>?,
                                     _ message: UnsafePointer<CChar>?) -> kc_status {
    cabiCall {
        let handle = try EventRecorderHandle.table.lookup(recorder)
        guard let object else { throw CABIError.invalidArgument("object is NULL") }
        let o = object.pointee
        let reference = ObjectReference(
            apiVersion: try CStrings.nonEmpty(o.api_version, "object->api_version"),
            kind: try CStrings.nonEmpty(o.kind, "object->kind"),
            namespace: try CStrings.optional(o.namespace_name, "object->namespace_name"),
            name: try CStrings.nonEmpty(o.name, "object->name"),
            uid: try CStrings.optional(o.uid, "object->uid"))
        let eventType: EventType
        switch type {
        case KC_EVENT_RECORD_NORMAL: eventType = .normal
        case KC_EVENT_RECORD_WARNING: eventType = .warning
        default: throw CABIError.invalidArgument("unknown event type \(type.rawValue)")
        }
        let accepted = handle.recorder.record(reference, type: eventType,
                                              reason: try CStrings.nonEmpty(reason, "reason"),
                                              message: try CStrings.required(message, "message"))
        if !accepted {
            throw CABIError(status: KC_ERR_TOO_MANY_REQUESTS,
                            message: "event dropped: rate limit for \(reference.kind) \(reference.name) reached")
        }
    }
}

@_cdecl("kc_event_recorder_flush")
public func kc_event_recorder_flush(_ recorder: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    cabiCall {
        let handle = try EventRecorderHandle.table.lookup(recorder)
        let timeout = CMilliseconds.timeout(timeoutMs) ?? .milliseconds(CMilliseconds.max)
        if !handle.recorder.flush(timeout: timeout) {
            throw CABIError(status: KC_ERR_TIMEOUT, message: "events still queued")
        }
    }
}

@_cdecl("kc_event_recorder_free")
public func kc_event_recorder_free(_ recorder: OpaquePointer?) {
    guard let handle = EventRecorderHandle.table.remove(recorder) else { return }
    handle.recorder.stop()
}
