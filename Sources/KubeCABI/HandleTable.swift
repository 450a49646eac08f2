import CKubeABI
import KubeCore

/// The live handles of one type, so a thunk can tell a NULL, freed or foreign pointer
/// (→ KC_ERR_INVALID_ARGUMENT / KC_ERR_CLOSED) from a live one instead of crashing.
///
/// The opaque pointer given to C is the object's address. The table holds the strong
/// reference, so an address is unique while its handle lives; `lookup` returns a strong
/// reference, so a call in progress keeps its object alive even if another thread frees the
/// handle meanwhile. A freed address may be reused by a later handle of the same type —
/// that reuse is the one case that cannot be detected.
///
/// Handles with callback threads are freed in two steps (`beginClose`, `endClose`): between
/// them the handle is *closing* — no longer usable, but a second, concurrent free still finds
/// it and waits for its callbacks too, instead of returning while one still runs (issue 11,
/// item 2). A closing handle also keeps its address from being reused. A handle freed from
/// inside its own callback cannot wait for that callback; it stays closing until
/// `isQuiescent` says its threads ended, and is dropped by a later table operation.
final class HandleTable<Object: AnyObject & Sendable>: Sendable {
    private struct State {
        var live: [UInt: Object] = [:]
        var closing: [UInt: Object] = [:]
    }
    private let state = Locked<State>(State())
    /// "kc_client", used in messages.
    let typeName: String
    /// True once no thread of the handle can run a callback any more: a closing handle for
    /// which it holds is dropped without `endClose`. The default (never) suits handles whose
    /// free always ends with `endClose` (it is never called from their own callbacks).
    private let isQuiescent: @Sendable (Object) -> Bool

    init(typeName: String, isQuiescent: @escaping @Sendable (Object) -> Bool = { _ in false }) {
        self.typeName = typeName
        self.isQuiescent = isQuiescent
    }

    /// Registers `object`; returns the pointer handed to C.
    func register(_ object: Object) -> OpaquePointer {
        let address = Unmanaged.passUnretained(object).toOpaque()
        state.withLock { $0.live[UInt(bitPattern: address)] = object }
        return OpaquePointer(address)
    }

    /// The live object behind `pointer`.
    func lookup(_ pointer: OpaquePointer?) throws(CABIError) -> Object {
        guard let pointer else { throw .invalidArgument("\(typeName) handle is NULL") }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        guard let object = state.withLock({ $0.live[key] }) else {
            throw .closed("\(typeName) handle was freed (or is not a \(typeName))")
        }
        return object
    }

    /// Like `lookup`, but also finds a handle that is being freed (`isClosing`), for stop
    /// functions: a stop racing a free must wait for the callbacks as well.
    func lookupIncludingClosing(_ pointer: OpaquePointer?)
        throws(CABIError) -> (object: Object, isClosing: Bool) {
        guard let pointer else { throw .invalidArgument("\(typeName) handle is NULL") }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        let found = state.withLock { s -> (Object, Bool)? in
            if let object = s.live[key] { return (object, false) }
            return s.closing[key].map { ($0, true) }
        }
        guard let found else {
            throw .closed("\(typeName) handle was freed (or is not a \(typeName))")
        }
        return found
    }

    /// Unregisters the handle; nil when it was not live (double free, NULL).
    func remove(_ pointer: OpaquePointer?) -> Object? {
        guard let pointer else { return nil }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        return state.withLock { $0.live.removeValue(forKey: key) }
    }

    /// Starts freeing the handle: takes it out of the live set and marks it closing. Returns
    /// it also when it is already closing (a concurrent free, which must wait as well); nil
    /// when it is neither (NULL, double free after the end, foreign pointer).
    func beginClose(_ pointer: OpaquePointer?) -> Object? {
        guard let pointer else { return nil }
        let key = UInt(bitPattern: UnsafeRawPointer(pointer))
        let isQuiescent = self.isQuiescent
        return state.withLock { s -> Object? in
            // Drop handles freed from their own callbacks whose threads have ended since.
            s.closing = s.closing.filter { !isQuiescent($0.value) }
            if let object = s.live.removeValue(forKey: key) {
                s.closing[key] = object
                return object
            }
            return s.closing[key]
        }
    }

    /// Ends freeing `object` once its callbacks have all returned.
    func endClose(_ object: Object) {
        let key = UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
        state.withLock { s in
            if let current = s.closing[key], current === object { s.closing[key] = nil }
        }
    }
}
