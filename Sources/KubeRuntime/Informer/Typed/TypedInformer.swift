import KubeClient
import KubeCore
import Logging

private let typedInformerLogger = Logger(label: "kubeclient.informer")

/// A typed view of a `SharedInformer`: handlers and listers receive decoded models
/// (`CoreV1.ConfigMap`, a custom resource type, …) instead of cached JSON bytes.
///
/// It is a thin value over the shared informer: the cache, the watch and the threads are
/// the shared informer's, so typed and dynamic users of one resource (for example through
/// `InformerFactory.informer(for: CoreV1.ConfigMap.self)` and
/// `informer(for: GroupVersionResource(...))`) share one cache and one watch. The cache
/// keeps bytes; each handler decodes on its own delivery thread, and the lister decodes
/// on each read.
///
/// Objects that do not decode as `R` never stop delivery: the event is skipped and the
/// `KubeError.decoding` goes to the decode-error handler (see `TypedResourceEventHandler`
/// for the exact rules).
public struct TypedInformer<R: KubeResource>: Sendable {
    /// The shared informer underneath (cache, watch, threads).
    public let informer: SharedInformer
    /// Receives decoding failures, on the delivery thread of the handler that hit them.
    let onDecodeError: @Sendable (KubeError) -> Void

    /// A typed view of `informer`, whose objects must be `R`s.
    /// - Parameter onDecodeError: called on a handler's delivery thread for each object
    ///   that does not decode as `R` (the event is skipped); the default logs a warning.
    public init(_ informer: SharedInformer, as type: R.Type = R.self,
                onDecodeError: (@Sendable (KubeError) -> Void)? = nil) {
        self.informer = informer
        let name = informer.name
        self.onDecodeError = onDecodeError ?? { error in
            typedInformerLogger.warning("\(name): skipped an event that does not decode as \(R.identity.kind): \(error)")
        }
    }

    /// The kind's place in the API (group, version, plural, scope).
    public var identity: ResourceIdentity { R.identity }

    // MARK: handlers

    /// Adds typed callback handlers, delivered on a new thread of their own.
    /// - Parameter resyncPeriod: when set, every cached object is re-delivered as an
    ///   update (old == new) this often.
    @discardableResult
    public func addHandler(_ handler: TypedResourceEventHandler<R>,
                           resyncPeriod: Duration? = nil) throws(KubeError) -> HandlerRegistration {
        try informer.addHandler(handler.untyped(onDecodeError: onDecodeError), resyncPeriod: resyncPeriod)
    }

    /// Adds typed callbacks (any may be nil), delivered on a new thread of their own.
    /// - Parameter resyncPeriod: when set, every cached object is re-delivered as an
    ///   update (old == new) this often.
    @discardableResult
    public func addHandler(
        onAdd: (@Sendable (_ object: R, _ isInitialList: Bool) -> Void)? = nil,
        onUpdate: (@Sendable (_ old: R, _ new: R) -> Void)? = nil,
        onDelete: (@Sendable (_ object: R, _ finalStateUnknown: Bool) -> Void)? = nil,
        resyncPeriod: Duration? = nil
    ) throws(KubeError) -> HandlerRegistration {
        try addHandler(TypedResourceEventHandler(onAdd: onAdd, onUpdate: onUpdate, onDelete: onDelete),
                       resyncPeriod: resyncPeriod)
    }

    /// Removes a registration (see `SharedInformer.removeHandler`).
    public func removeHandler(_ registration: HandlerRegistration) {
        informer.removeHandler(registration)
    }

    // MARK: cache

    /// Reads the cache as decoded models. Its reads throw `KubeError.decoding` when a
    /// cached object does not decode as `R`.
    public var lister: TypedLister<R> { TypedLister(informer.lister, as: R.self) }

    // MARK: lifecycle (passed through to the shared informer)

    /// Whether the initial list has been applied to the cache.
    public var hasSynced: Bool { informer.hasSynced }

    /// Waits until the cache and every current callback handler have synced, or the
    /// timeout passes; false on timeout or when stopped.
    public func waitForSync(timeout: Duration) -> Bool {
        informer.waitForSync(timeout: timeout)
    }

    /// Starts the shared informer (does nothing when already started or stopped).
    public func start() throws(KubeError) {
        try informer.start()
    }

    /// Stops the shared informer and joins its threads. It is shared: this stops it for
    /// every user, typed or dynamic; prefer `InformerFactory.shutdown()` with a factory.
    public func stop() {
        informer.stop()
    }
}
