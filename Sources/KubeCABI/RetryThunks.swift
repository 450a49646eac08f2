import CKubeABI
import KubeClient

// kc_retry_on_conflict: client-go's retry.RetryOnConflict around a C callback.

/// Thrown out of one attempt whose callback returned KC_ERR_CONFLICT, so that the Swift
/// `retryOnError` loop (and its `RetryBackoff.defaultRetry` waits) decides about the next one.
private struct CallbackConflict: Error {}

@_cdecl("kc_retry_on_conflict")
public func kc_retry_on_conflict(_ fn: kc_retry_fn?, _ userData: UnsafeMutableRawPointer?) -> kc_status {
    guard let fn else { return ErrorRecord.set(ErrorDescription(CABIError.invalidArgument("fn is NULL"))) }
    var last = KC_OK
    do {
        try retryOnError(.defaultRetry, isRetriable: { $0 is CallbackConflict }) { () throws(CallbackConflict) in
            last = fn(userData)
            if last == KC_ERR_CONFLICT { throw CallbackConflict() }
        }
    } catch {
        // The last attempt conflicted too: `last` is KC_ERR_CONFLICT.
    }
    // The record normally describes `fn`'s last call already; if `fn` returned a status of
    // its own making, say so rather than leave a record that contradicts the result.
    if last == KC_OK {
        ErrorRecord.clear()
    } else if ErrorRecord.current()?.pointee.status != last {
        return ErrorRecord.set(ErrorDescription(status: last, httpCode: 0, reason: "",
                                                message: "the retried function returned \(statusText(last))"))
    }
    return last
}
