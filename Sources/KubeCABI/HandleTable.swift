import CKubeABI
import Synchronization

/// The live handles of one type, so a thunk can tell a NULL, freed or foreign pointer
/// (→ KC_ERR_INVALID_ARGUMENT / KC_ERR_CLOSED) from a live one instead of crashing.
///
/// The opaque pointer given to C is the object's address. The table holds the strong
/// reference, so an address is unique while its handle lives; `lookup` returns a strong
/// reference, so a call in progress keeps its object alive even if another thread frees the
/// handle meanwhile. A freed address may be reused by a later handle of the same type —
/// that reuse is the one case that cannot be detected.
final class HandleTable<Object: AnyObject & Sendable>: Sendable {
    private let live = Mutex<[UInt: Object]>([:])
    /// "kc_client", used in messages.
    let typeName: String

    init(typeName: String) {
        self.typeName = typeName
    }

    /// Registers `object`; returns the pointer handed to C.
    func register(_ object: Object) -> OpaquePointer {
        let address = Unmanaged.passUnretained(object).toOpaque()
        live.withLock { $0[UInt(bitPattern: address)] = object }
        return OpaquePointer(address)
    }

    /// The live object behind `pointer`.
    func lookup(_ pointer: OpaquePointer?, _ function: StaticString) throws(CABIError) -> Object {
        guard let pointer else { throw .invalidArgument("\(function): \(typeName) handle is NULL") }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        guard let object = live.withLock({ $0[key] }) else {
            throw .closed("\(function): \(typeName) handle was freed (or is not a \(typeName))")
        }
        return object
    }

    /// Unregisters the handle; nil when it was not live (double free, NULL).
    func remove(_ pointer: OpaquePointer?) -> Object? {
        guard let pointer else { return nil }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        return live.withLock { $0.removeValue(forKey: key) }
    }
}
