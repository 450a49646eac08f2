import CKubeABI
import KubeRuntime

/// What a `kc_controller *` points at: the Swift controller, and the borrowed handle of its
/// queue (unregistered when the controller is freed).
///
/// `@unchecked Sendable`: both properties are immutable after init; the pointer is only an
/// address handed back to C.
final class ControllerHandle: @unchecked Sendable {
    static let table = HandleTable<ControllerHandle>(typeName: "kc_controller")

    let controller: Controller<String>
    let queuePointer: OpaquePointer

    init(controller: Controller<String>) {
        self.controller = controller
        queuePointer = WorkqueueHandle.table.register(WorkqueueHandle(queue: controller.queue, owned: false))
    }
}

/// The caller's reconcile callback and its `user_data`.
///
/// `@unchecked Sendable`: the function pointer is immutable; `user_data` is the caller's,
/// who promised (kc_controller_new's contract) it stays valid and is safe to use from the
/// worker threads until the controller is stopped.
final class CReconcile: @unchecked Sendable {
    let fn: kc_reconcile_cb
    let userData: UnsafeMutableRawPointer?

    init(fn: kc_reconcile_cb, userData: UnsafeMutableRawPointer?) {
        self.fn = fn
        self.userData = userData
    }

    /// Thrown when the callback returns KC_RECONCILE_ERROR (or an unknown value).
    struct Failed: Error, CustomStringConvertible {
        var description: String { "reconcile callback returned an error" }
    }

    func callAsFunction(_ key: String) throws -> ReconcileResult {
        var afterMs: Int64 = 0
        let result = key.withCString { fn($0, &afterMs, userData) }
        switch result {
        case KC_RECONCILE_SUCCESS: return .success
        case KC_RECONCILE_REQUEUE: return .requeue
        case KC_RECONCILE_REQUEUE_AFTER:
            return .requeueAfter(CMilliseconds.delay(afterMs))
        default: throw Failed()
        }
    }
}
