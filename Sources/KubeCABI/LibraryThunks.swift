import CKubeABI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Version, status strings, the error record and memory: the functions every other one relies on.

/// Kept in step with KC_VERSION_STRING in include/kubeclient.h.
let libraryVersion: StaticString = "0.1.0"

@_cdecl("kc_version")
public func kc_version() -> UnsafePointer<CChar> {
    CStrings.staticC(libraryVersion)
}

@_cdecl("kc_status_str")
public func kc_status_str(_ status: kc_status) -> UnsafePointer<CChar> {
    CStrings.staticC(statusText(status))
}

func statusText(_ status: kc_status) -> StaticString {
    switch status {
    case KC_OK: return "ok"
    case KC_ERR_NOT_FOUND: return "not found"
    case KC_ERR_ALREADY_EXISTS: return "already exists"
    case KC_ERR_CONFLICT: return "conflict"
    case KC_ERR_GONE: return "gone"
    case KC_ERR_INVALID: return "invalid"
    case KC_ERR_UNAUTHORIZED: return "unauthorized"
    case KC_ERR_FORBIDDEN: return "forbidden"
    case KC_ERR_TOO_MANY_REQUESTS: return "too many requests"
    case KC_ERR_TIMEOUT: return "timeout"
    case KC_ERR_CANCELLED: return "cancelled"
    case KC_ERR_API: return "API error"
    case KC_ERR_TRANSPORT: return "transport error"
    case KC_ERR_CONFIG: return "configuration error"
    case KC_ERR_INVALID_ARGUMENT: return "invalid argument"
    case KC_ERR_DECODE: return "decoding error"
    case KC_ERR_CLOSED: return "closed"
    case KC_ERR_INTERNAL: return "internal error"
    default: return "unknown status"
    }
}

/// Used only when the thread's record cannot be allocated (malloc failed): the caller
/// still gets a non-NULL, readable record. Never written after initialisation.
nonisolated(unsafe) private let outOfMemoryRecord: UnsafeMutablePointer<kc_error> = {
    let record = UnsafeMutablePointer<kc_error>.allocate(capacity: 1)
    record.initialize(to: kc_error(status: KC_ERR_INTERNAL, http_code: 0, reason: CStrings.staticC(""),
                                   message: CStrings.staticC("out of memory"), status_json: CStrings.staticC("")))
    return record
}()

@_cdecl("kc_error_last")
public func kc_error_last() -> UnsafePointer<kc_error> {
    UnsafePointer(ErrorRecord.current() ?? outOfMemoryRecord)
}

@_cdecl("kc_error_clear")
public func kc_error_clear() {
    ErrorRecord.set(.ok)
}

@_cdecl("kc_free")
public func kc_free(_ pointer: UnsafeMutableRawPointer?) {
    free(pointer)
}
