import KubeClient
import KubeCore

/// Hands out one shared informer per (resource, namespace, label selector, field selector,
/// metadata-only), starts them together, waits for them to sync, and shuts them down.
///
/// Informers asked for after `start()` start at once. After `shutdown()` no new informer
/// is handed out.
public final class InformerFactory: Sendable {
    /// Settings applied to every informer the factory creates.
    public struct Options: Sendable {
        /// Applied to each object before caching (metadata-only informers always use
        /// `.metadataOnly`).
        public var transform: ObjectTransform
        /// Items per list page; nil for unpaged lists.
        public var pageSize: Int?
        /// A watch silent for longer is re-established (see `SharedInformer.defaultIdleTimeout`).
        public var idleTimeout: Duration
        /// Called (on a reflector thread) for each list/watch failure; nil logs them.
        public var onWatchError: (@Sendable (InformerKey, KubeError) -> Void)?
        /// Delays between retries after list/watch failures.
        public var backoff: Backoff
        /// Initial state from streaming lists (`sendInitialEvents`) instead of paged LISTs,
        /// falling back to LIST where the server refuses.
        public var streamingList: Bool
        /// Times the informers' backoff sleeps, watch idleness and resyncs (see
        /// `SharedInformer.init`); tests pass a `ManualRuntimeClock`.
        public var clock: any RuntimeClock

        public init(transform: ObjectTransform = .none, pageSize: Int? = 500,
                    idleTimeout: Duration = SharedInformer.defaultIdleTimeout,
                    backoff: Backoff = Backoff(), streamingList: Bool = false,
                    clock: any RuntimeClock = SystemRuntimeClock(),
                    onWatchError: (@Sendable (InformerKey, KubeError) -> Void)? = nil) {
            self.clock = clock
            self.transform = transform
            self.pageSize = pageSize
            self.idleTimeout = idleTimeout
            self.backoff = backoff
            self.streamingList = streamingList
            self.onWatchError = onWatchError
        }
    }

    private struct State {
        var informers: [InformerKey: SharedInformer] = [:]
        var started = false
        var shutDown = false
    }

    private let state = Locked(State())
    private let makeSource: @Sendable (InformerKey) -> any ListerWatcher
    public let options: Options

    /// A factory over the dynamic client of `client`.
    public convenience init(client: KubeClient, options: Options = Options()) {
        let source: @Sendable (InformerKey) -> any ListerWatcher = { (key: InformerKey) -> any ListerWatcher in
            let resource: DynamicResource = client.resource(key.resource).namespace(key.namespace)
            return DynamicListerWatcher(resource: resource, labelSelector: key.labelSelector,
                                        fieldSelector: key.fieldSelector, metadataOnly: key.metadataOnly)
        }
        self.init(options: options, source: source)
    }

    /// A factory whose informers list and watch through `source` (tests, custom transports).
    public init(options: Options = Options(), source: @escaping @Sendable (InformerKey) -> any ListerWatcher) {
        self.options = options
        self.makeSource = source
    }

    /// The shared informer for `key`, created on first request.
    /// Throws `.closed` after `shutdown()`; with the factory started, starts the new informer.
    public func informer(for key: InformerKey) throws(KubeError) -> SharedInformer {
        let transform = key.metadataOnly ? ObjectTransform.metadataOnly : options.transform
        var onError: (@Sendable (KubeError) -> Void)? = nil
        if let handler = options.onWatchError {
            onError = { @Sendable (error: KubeError) -> Void in handler(key, error) }
        }
        let errorHandler = onError
        let found: (informer: SharedInformer, startNow: Bool)? = state.withLock { (s: inout State) -> (informer: SharedInformer, startNow: Bool)? in
            if s.shutDown { return nil }
            if let existing = s.informers[key] { return (existing, false) }
            let informer = SharedInformer(
                name: "informer \(key)", source: makeSource(key), pageSize: options.pageSize, transform: transform,
                idleTimeout: options.idleTimeout, backoff: options.backoff,
                streamingList: options.streamingList, clock: options.clock, onWatchError: errorHandler)
            s.informers[key] = informer
            return (informer, s.started)
        }
        guard let (informer, startNow) = found else { throw .closed("informer factory is shut down") }
        if startNow { try informer.start() }
        return informer
    }

    /// `informer(for:)` with the key's parts spelled out.
    public func informer(for resource: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil,
                         fieldSelector: String? = nil, metadataOnly: Bool = false) throws(KubeError) -> SharedInformer {
        try informer(for: InformerKey(resource: resource, namespace: namespace, labelSelector: labelSelector,
                                      fieldSelector: fieldSelector, metadataOnly: metadataOnly))
    }

    /// Starts every informer created so far, and any created later.
    public func start() throws(KubeError) {
        let informers: [SharedInformer]? = state.withLock { (s: inout State) -> [SharedInformer]? in
            if s.shutDown { return nil }
            s.started = true
            return Array(s.informers.values)
        }
        guard let informers else { throw .closed("informer factory is shut down") }
        for informer in informers { try informer.start() }
    }

    /// Waits until every informer (and each of its handlers) has synced; false on timeout.
    public func waitForSync(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.deadline(after: timeout)
        for informer in state.withLock({ Array($0.informers.values) }) {
            let left = Duration.nanoseconds(Int64(clamping: deadline &- min(deadline, MonotonicClock.nanoseconds())))
            if !informer.waitForSync(timeout: left) { return false }
        }
        return true
    }

    /// `waitForSync(timeout:)` with the timeout in seconds.
    @available(*, deprecated, renamed: "waitForSync(timeout:)")
    public func waitForSync(timeoutSeconds: Double) -> Bool {
        waitForSync(timeout: .seconds(clamping: timeoutSeconds))
    }

    /// Stops every informer and joins their threads. Idempotent; concurrent calls all wait.
    /// From a callback of one of its informers it only requests the stop (see
    /// `SharedInformer.stop()`).
    public func shutdown() {
        let informers = state.withLock { (s: inout State) -> [SharedInformer] in
            s.shutDown = true
            return Array(s.informers.values)
        }
        // From a callback of any informer of this factory nothing is waited for: two
        // callbacks of different informers shutting down at once would wait for each other.
        let fromOwnThread = informers.contains { $0.threads.containsCurrentThread }
        for informer in informers { informer.stop(wait: !fromOwnThread) }
    }

    /// True when no thread of any informer is running (none started, or all ended): no
    /// callback of this factory can run any more.
    public var isQuiescent: Bool {
        state.withLock { Array($0.informers.values) }.allSatisfy { $0.threads.count == 0 }
    }

    /// Every informer handed out so far.
    public var informers: [InformerKey: SharedInformer] { state.withLock { $0.informers } }
}
