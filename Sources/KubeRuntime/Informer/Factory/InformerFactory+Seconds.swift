import KubeClient
import KubeCore

/// The seconds-as-`Double` spelling of the factory options' idle timeout, kept for source
/// compatibility; `idleTimeout` is the API.
extension InformerFactory.Options {
    @available(*, deprecated, renamed: "idleTimeout")
    public var idleTimeoutSeconds: Double {
        get { idleTimeout.secondsDouble }
        set { idleTimeout = .seconds(clamping: newValue) }
    }

    @available(*, deprecated, renamed: "init(transform:pageSize:idleTimeout:backoff:streamingList:clock:onWatchError:)")
    public init(transform: ObjectTransform = .none, pageSize: Int? = 500, idleTimeoutSeconds: Double,
                backoff: Backoff = Backoff(), streamingList: Bool = false,
                clock: any RuntimeClock = SystemRuntimeClock(),
                onWatchError: (@Sendable (InformerKey, KubeError) -> Void)? = nil) {
        self.init(transform: transform, pageSize: pageSize, idleTimeout: .seconds(clamping: idleTimeoutSeconds),
                  backoff: backoff, streamingList: streamingList, clock: clock, onWatchError: onWatchError)
    }
}
