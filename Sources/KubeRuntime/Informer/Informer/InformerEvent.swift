/// A notification delivered to one handler registration.
public enum InformerEvent: Sendable, Hashable {
    /// The object appeared. `isInitialList` is true for objects of the initial list and for
    /// the cache contents replayed to a handler registered late.
    case add(CachedObject, isInitialList: Bool)
    /// The object changed, or (with `old == new`) a resync or relist re-delivered it.
    case update(old: CachedObject, new: CachedObject)
    /// The object is gone. With `finalStateUnknown` the deletion was missed while the watch
    /// was down: the object is the last state the cache knew.
    case delete(CachedObject, finalStateUnknown: Bool)

    /// The object the event is about (the new state for updates).
    public var object: CachedObject {
        switch self {
        case .add(let o, _): return o
        case .update(_, let new): return new
        case .delete(let o, _): return o
        }
    }
}
