import CKubeABI
import KubeCore
import Logging

/// Routes the library's swift-log output to the C log handler (`kc_log_set_handler`), or to
/// stderr when none is set.
///
/// swift-log allows one bootstrap per process, so the bridge installs itself once, the first
/// time a handler is set, and from then on only swaps the handler it forwards to. Loggers the
/// library created before that first call keep writing to stderr, which is why the header asks
/// callers to set the handler before anything else.
enum LogBridge {
    /// The C handler and its cutoff. `userData` is the caller's opaque pointer, only passed back
    /// to the caller's callback (the header makes its validity the caller's duty).
    struct Target: @unchecked Sendable {
        var callback: kc_log_cb?
        var minimum: Logger.Level
        var userData: UnsafeMutableRawPointer?
    }

    static let target = Locked(Target(callback: nil, minimum: .info, userData: nil))

    private static let installed: Void = {
        LoggingSystem.bootstrap { label in BridgeLogHandler(label: label) }
    }()

    static func set(callback: kc_log_cb?, minimum: Logger.Level, userData: UnsafeMutableRawPointer?) {
        _ = installed
        target.withLock { $0 = Target(callback: callback, minimum: callback == nil ? .info : minimum, userData: userData) }
    }

    static func level(_ level: kc_log_level) -> Logger.Level? {
        switch level {
        case KC_LOG_TRACE: return .trace
        case KC_LOG_DEBUG: return .debug
        case KC_LOG_INFO: return .info
        case KC_LOG_NOTICE: return .notice
        case KC_LOG_WARNING: return .warning
        case KC_LOG_ERROR: return .error
        case KC_LOG_CRITICAL: return .critical
        default: return nil
        }
    }

    static func cLevel(_ level: Logger.Level) -> kc_log_level {
        switch level {
        case .trace: return KC_LOG_TRACE
        case .debug: return KC_LOG_DEBUG
        case .info: return KC_LOG_INFO
        case .notice: return KC_LOG_NOTICE
        case .warning: return KC_LOG_WARNING
        case .error: return KC_LOG_ERROR
        case .critical: return KC_LOG_CRITICAL
        }
    }
}

/// One logger's handler: forwards each event at or above the cutoff to the C handler, or to
/// a stderr stream handler while none is set.
struct BridgeLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    // Filtering happens in `log(event:)` against the bridge's cutoff, which can change at
    // any time; swift-log's own check must let everything through.
    var logLevel: Logger.Level = .trace
    private var fallback: StreamLogHandler

    init(label: String) {
        self.label = label
        fallback = StreamLogHandler.standardError(label: label)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let target = LogBridge.target.withLock { $0 }
        guard event.level >= target.minimum else { return }
        guard let callback = target.callback else {
            fallback.log(event: event)
            return
        }
        var text = event.message.description
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        label.withCString { component in
            text.withCString { message in
                callback(LogBridge.cLevel(event.level), component, message, target.userData)
            }
        }
    }
}
