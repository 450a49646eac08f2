import KubeClient
import KubeCore

/// Typed callbacks for one handler registration of a `TypedInformer`: the same shape as
/// `ResourceEventHandler`, with decoded models instead of cached bytes. Any callback may
/// be nil ("not interested"); events for a nil callback are not decoded at all.
///
/// They run on the registration's own delivery thread, one at a time, in order per object,
/// and decoding happens there too (never on the informer's processor thread).
///
/// Objects that do not decode as `R`:
/// - an add, or an update or delete whose object does not decode, is **skipped** and the
///   `KubeError.decoding` (naming kind, `namespace/name` and the failing field) is passed
///   to the error handler;
/// - an update whose *old* state did not decode but whose new state does is delivered as
///   `onAdd(new, isInitialList: false)`: the typed handler was never given the old state,
///   so to it the object appears now. (When an object went good → bad → good, the handler
///   therefore sees an add for an object it saw before; write handlers level-based, as
///   with client-go, and this is harmless.)
/// - A delete of an object whose last state did not decode is skipped: the typed handler
///   may keep that object until a resync shows it gone from the lister.
public struct TypedResourceEventHandler<R: KubeResource>: Sendable {
    public var onAdd: (@Sendable (_ object: R, _ isInitialList: Bool) -> Void)?
    public var onUpdate: (@Sendable (_ old: R, _ new: R) -> Void)?
    public var onDelete: (@Sendable (_ object: R, _ finalStateUnknown: Bool) -> Void)?

    public init(
        onAdd: (@Sendable (_ object: R, _ isInitialList: Bool) -> Void)? = nil,
        onUpdate: (@Sendable (_ old: R, _ new: R) -> Void)? = nil,
        onDelete: (@Sendable (_ object: R, _ finalStateUnknown: Bool) -> Void)? = nil
    ) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }

    /// The dynamic handler that decodes each event and calls these callbacks; decoding
    /// failures go to `onDecodeError` (see the type's documentation for what is skipped).
    func untyped(onDecodeError: @escaping @Sendable (KubeError) -> Void) -> ResourceEventHandler {
        let onAdd = self.onAdd, onUpdate = self.onUpdate, onDelete = self.onDelete
        @Sendable func decoded(_ object: CachedObject) -> R? {
            do {
                return try TypedDecoding.decode(R.self, from: object)
            } catch {
                onDecodeError(error)
                return nil
            }
        }
        var handler = ResourceEventHandler()
        if let onAdd {
            handler.onAdd = { object, isInitialList in
                if let value = decoded(object) { onAdd(value, isInitialList) }
            }
        }
        if onUpdate != nil || onAdd != nil {
            handler.onUpdate = { old, new in
                guard let newValue = decoded(new) else { return }
                // A resync re-delivers the same bytes: compare bytes rather than decode twice.
                if old == new {
                    onUpdate?(newValue, newValue)
                    return
                }
                // The old state's failure was reported when it arrived; do not repeat it.
                if let oldValue = try? TypedDecoding.decode(R.self, from: old) {
                    onUpdate?(oldValue, newValue)
                } else {
                    onAdd?(newValue, false)
                }
            }
        }
        if let onDelete {
            handler.onDelete = { object, finalStateUnknown in
                if let value = decoded(object) { onDelete(value, finalStateUnknown) }
            }
        }
        return handler
    }
}
