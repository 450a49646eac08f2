import KubeClient
import Logging
import KubeCore

/// Where an informer's list/watch failures go: a handler that can be replaced at any time
/// (client-go's `SetWatchErrorHandler`), or a log line when there is none. Shared between
/// the informer, which sets it, and the reflector thread, which reports to it.
final class WatchErrorSink: Sendable {
    private let handler: Locked<(@Sendable (KubeError) -> Void)?>
    private let label: String
    private static let logger = Logger(label: "kubeclient.informer")

    init(label: String, handler: (@Sendable (KubeError) -> Void)?) {
        self.label = label
        self.handler = Locked(handler)
    }

    func set(_ handler: (@Sendable (KubeError) -> Void)?) {
        self.handler.withLock { $0 = handler }
    }

    /// Called on the reflector thread; the handler runs outside the lock so it may replace
    /// itself or stop the informer.
    func report(_ error: KubeError) {
        if let current = handler.withLock({ $0 }) {
            current(error)
        } else {
            Self.logger.warning("\(label): list/watch failed, retrying: \(error)")
        }
    }
}
