import KubeClient
import KubeCore

/// The seconds-as-`Double` spellings of `TypedInformer`'s times, kept for source
/// compatibility; the `Duration` forms are the API.
extension TypedInformer {
    @available(*, deprecated, renamed: "addHandler(_:resyncPeriod:)")
    @discardableResult
    public func addHandler(_ handler: TypedResourceEventHandler<R>,
                           resyncPeriodSeconds: Double?) throws(KubeError) -> HandlerRegistration {
        try addHandler(handler, resyncPeriod: resyncPeriodSeconds.map { .seconds(clamping: $0) })
    }

    @available(*, deprecated, renamed: "addHandler(onAdd:onUpdate:onDelete:resyncPeriod:)")
    @discardableResult
    public func addHandler(
        onAdd: (@Sendable (_ object: R, _ isInitialList: Bool) -> Void)? = nil,
        onUpdate: (@Sendable (_ old: R, _ new: R) -> Void)? = nil,
        onDelete: (@Sendable (_ object: R, _ finalStateUnknown: Bool) -> Void)? = nil,
        resyncPeriodSeconds: Double?
    ) throws(KubeError) -> HandlerRegistration {
        try addHandler(onAdd: onAdd, onUpdate: onUpdate, onDelete: onDelete,
                       resyncPeriod: resyncPeriodSeconds.map { .seconds(clamping: $0) })
    }

    @available(*, deprecated, renamed: "waitForSync(timeout:)")
    public func waitForSync(timeoutSeconds: Double) -> Bool {
        waitForSync(timeout: .seconds(clamping: timeoutSeconds))
    }
}
