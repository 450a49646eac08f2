import KubeClient
import KubeCore
import Synchronization

/// Cancels a token from another thread once a request is in flight: it waits for `arrived`
/// (a state only the server's handling of the request creates), then cancels. Tests of
/// cancellation use it instead of sleeping a while before the cancel, which both races a
/// slow machine and wastes time on a fast one.
public final class InFlightCanceller: Sendable {
    private let thread: KubeThread
    private let seen: SeenFlag

    /// Starts the canceller thread.
    public init(_ token: CancellationToken, once arrived: @escaping @Sendable () -> Bool) throws {
        let seen = SeenFlag()
        self.seen = seen
        thread = try KubeThread.spawn(name: "canceller") {
            seen.value.store(eventually(arrived), ordering: .releasing)
            token.cancel()
        }
    }

    /// Joins the thread; whether the request had arrived when the token was cancelled.
    @discardableResult
    public func join() -> Bool {
        thread.join()
        return seen.value.load(ordering: .acquiring)
    }
}

private final class SeenFlag: Sendable {
    let value = Atomic<Bool>(false)
}
