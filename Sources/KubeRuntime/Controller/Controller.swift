import KubeCore
import Logging

/// Runs a reconcile function over the keys of a rate-limited workqueue on N worker threads
/// (client-go's sample-controller loop, controller-runtime's result vocabulary).
///
/// Guarantees (from the workqueue): a key is reconciled by one worker at a time; a key
/// added while it is being reconciled is reconciled again afterwards; a burst of adds for a
/// key collapses into one reconcile.
///
/// Per key, after `reconcile` returns:
/// - `.success` → `forget` (backoff reset);
/// - `.requeue` → `addRateLimited` (backoff grows);
/// - `.requeueAfter(d)` → `forget`, then `addAfter(d)`;
/// - throws → `addRateLimited`, unless `maxRetries` is set and reached (then dropped and
///   forgotten). The worker goes on with the next key: an error never kills a worker.
///   (A Swift trap — force unwrap, overflow — does stop the process: Swift cannot catch it.)
///
/// `@unchecked Sendable`: `threads` and `started` are guarded by `state`.
public final class Controller<Key: Hashable & Sendable>: @unchecked Sendable {
    public typealias Reconcile = @Sendable (Key) throws -> ReconcileResult

    public let name: String
    /// The queue the controller works from: event handlers `add` keys here.
    public let queue: RateLimitingQueue<Key>
    public let workers: Int
    /// Failures after which a key is dropped; nil retries forever.
    public let maxRetries: Int?
    private let reconcile: Reconcile
    private let logger: Logger
    private let state = Locked<(started: Bool, threads: [KubeThread])>((false, []))

    /// Worker threads when the caller names no number (client-go's samples use 2).
    public static var defaultWorkers: Int { 2 }
    /// The name of a controller whose caller names none (threads and logs).
    public static var defaultName: String { "controller" }

    /// - Parameters:
    ///   - queue: defaults to a queue with `defaultControllerRateLimiter()`.
    ///   - workers: worker threads started by `start()` (at least 1).
    ///   - reconcile: called on a worker thread, for one key at a time per key.
    public init(name: String, workers: Int = defaultWorkers, queue: RateLimitingQueue<Key>? = nil, maxRetries: Int? = nil,
                logger: Logger = Logger(label: "kubeclient.controller"), reconcile: @escaping Reconcile) {
        self.name = name
        self.workers = max(1, workers)
        self.queue = queue ?? RateLimitingQueue(name: name)
        self.maxRetries = maxRetries
        self.logger = logger
        self.reconcile = reconcile
    }

    /// Starts the worker threads. Calling it again does nothing.
    public func start() throws(ThreadError) {
        try state.withLock { (s) throws(ThreadError) in
            if s.started { return }
            s.started = true
            for i in 0..<workers {
                s.threads.append(try KubeThread.spawn(name: "\(name)-worker-\(i)") { [self] in
                    while processNextKey() {}
                })
            }
        }
    }

    /// Stops: the queue stops accepting keys, workers finish the keys already queued and in
    /// flight, and every worker thread is joined. Must not be called from `reconcile`.
    public func stop() {
        queue.shutDownWithDrain()
        // Every stop joins every worker (joining is idempotent and waits), so a second,
        // concurrent stop does not return while a reconcile still runs (issue 11, item 2).
        let threads = state.withLock { $0.threads }
        for thread in threads { thread.join() }
    }

    /// True when called from one of this controller's worker threads (where `stop` would
    /// wait for itself).
    public var isWorkerThread: Bool {
        state.withLock { KubeThread.isAnyCurrent($0.threads) }
    }

    /// Starts, blocks until SIGINT or SIGTERM (or `TerminationSignals.trigger()`), then stops.
    /// Returns the signal number.
    @discardableResult
    public func runUntilTerminated() throws(ThreadError) -> Int32 {
        try start()
        let signal = TerminationSignals.wait()
        logger.info("stopping on signal", metadata: ["controller": "\(name)", "signal": "\(signal)"])
        stop()
        return signal
    }

    /// Takes one key, reconciles it and files the outcome. Returns false once the queue is
    /// shut down and empty.
    func processNextKey() -> Bool {
        guard let key = queue.get() else { return false }
        defer { queue.done(key) }
        do {
            switch try reconcile(key) {
            case .success:
                queue.forget(key)
            case .requeue:
                queue.addRateLimited(key)
            case .requeueAfter(let delay):
                queue.forget(key)
                queue.addAfter(key, delay: delay)
            }
        } catch {
            if let maxRetries, queue.numRequeues(key) >= maxRetries {
                logger.warning("dropping key after \(maxRetries) retries",
                               metadata: ["controller": "\(name)", "key": "\(key)", "error": "\(error)"])
                queue.forget(key)
            } else {
                logger.debug("reconcile failed, retrying with backoff",
                             metadata: ["controller": "\(name)", "key": "\(key)", "error": "\(error)"])
                queue.addRateLimited(key)
            }
        }
        return true
    }
}
