import KubeClient
import KubeCore

/// The seconds-as-`Double` spellings of `SharedInformer`'s times, kept for source
/// compatibility; the `Duration` forms are the API.
extension SharedInformer {
    @available(*, deprecated, renamed: "defaultIdleTimeout")
    public static var defaultIdleTimeoutSeconds: Double { defaultIdleTimeout.secondsDouble }

    @available(*, deprecated, renamed: "init(name:source:pageSize:transform:indexers:idleTimeout:backoff:streamingList:clock:onWatchError:)")
    public convenience init(
        name: String = "informer",
        source: any ListerWatcher,
        pageSize: Int? = 500,
        transform: ObjectTransform = .none,
        indexers: [String: IndexFunction] = [:],
        idleTimeoutSeconds: Double,
        backoff: Backoff = Backoff(),
        streamingList: Bool = false,
        clock: any RuntimeClock = SystemRuntimeClock(),
        onWatchError: (@Sendable (KubeError) -> Void)? = nil
    ) {
        self.init(name: name, source: source, pageSize: pageSize, transform: transform, indexers: indexers,
                  idleTimeout: .seconds(clamping: idleTimeoutSeconds), backoff: backoff, streamingList: streamingList,
                  clock: clock, onWatchError: onWatchError)
    }
}
