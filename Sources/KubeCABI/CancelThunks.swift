import CKubeABI
import KubeClient

// kc_cancel: a cancellation token for blocking calls (kc_request_ext), cancelled from any thread.

/// What a `kc_cancel *` points at: one `CancellationToken`. Calls look it up and hold a strong
/// reference while they run, so freeing the handle never pulls the token from under a call.
final class CancelHandle: Sendable {
    static let table = HandleTable<CancelHandle>(typeName: "kc_cancel")

    let token = CancellationToken()
}

@_cdecl("kc_cancel_new")
public func kc_cancel_new(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        out.pointee = CancelHandle.table.register(CancelHandle())
    }
}

@_cdecl("kc_cancel_cancel")
public func kc_cancel_cancel(_ cancel: OpaquePointer?) -> kc_status {
    cabiCall {
        try CancelHandle.table.lookup(cancel).token.cancel()
    }
}

@_cdecl("kc_cancel_is_cancelled")
public func kc_cancel_is_cancelled(_ cancel: OpaquePointer?) -> Int32 {
    var cancelled: Int32 = 0
    _ = cabiCall {
        cancelled = try CancelHandle.table.lookup(cancel).token.isCancelled ? 1 : 0
    }
    return cancelled
}

@_cdecl("kc_cancel_free")
public func kc_cancel_free(_ cancel: OpaquePointer?) {
    _ = CancelHandle.table.remove(cancel)
}

@_cdecl("kc_cancel_bind")
public func kc_cancel_bind(_ cancel: OpaquePointer?) -> kc_status {
    cabiCall {
        let token = try cancel.map { (handle: OpaquePointer) throws(CABIError) -> CancellationToken in
            try CancelHandle.table.lookup(handle).token
        }
        guard CancellationToken.bindToCurrentThread(token) else {
            throw CABIError.internalError("no thread-specific storage left to bind the token")
        }
    }
}
