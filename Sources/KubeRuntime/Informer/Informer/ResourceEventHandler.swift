/// Callbacks for one handler registration; any of them may be nil ("not interested").
///
/// They run on the registration's own delivery thread, one at a time, in order per object.
/// They should be quick (hand slow work to a workqueue): a slow handler delays only itself.
/// They may call anything on the informer, including `stop()` and `removeHandler`.
public struct ResourceEventHandler: Sendable {
    public var onAdd: (@Sendable (_ object: CachedObject, _ isInitialList: Bool) -> Void)?
    public var onUpdate: (@Sendable (_ old: CachedObject, _ new: CachedObject) -> Void)?
    public var onDelete: (@Sendable (_ object: CachedObject, _ finalStateUnknown: Bool) -> Void)?

    public init(
        onAdd: (@Sendable (_ object: CachedObject, _ isInitialList: Bool) -> Void)? = nil,
        onUpdate: (@Sendable (_ old: CachedObject, _ new: CachedObject) -> Void)? = nil,
        onDelete: (@Sendable (_ object: CachedObject, _ finalStateUnknown: Bool) -> Void)? = nil
    ) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }

    /// One callback for every event.
    public init(_ onEvent: @escaping @Sendable (InformerEvent) -> Void) {
        self.onAdd = { onEvent(.add($0, isInitialList: $1)) }
        self.onUpdate = { onEvent(.update(old: $0, new: $1)) }
        self.onDelete = { onEvent(.delete($0, finalStateUnknown: $1)) }
    }

    func deliver(_ event: InformerEvent) {
        switch event {
        case .add(let o, let initial): onAdd?(o, initial)
        case .update(let old, let new): onUpdate?(old, new)
        case .delete(let o, let unknown): onDelete?(o, unknown)
        }
    }
}
