import KubeCore

/// Runs one of the library's blocking calls for async code: on a thread of its own (never on
/// the cooperative pool, which a network wait would starve), with Task cancellation wired to
/// the call's `CancellationToken`, so cancelling the task ends the request at once.
public enum BlockingCall {
    public static func run<T: Sendable>(
        _ body: @escaping @Sendable (CancellationToken) throws(KubeError) -> T
    ) async throws(KubeError) -> T {
        let token = CancellationToken()
        let result: Result<T, KubeError> = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, KubeError>, Never>) in
                do {
                    let thread = try KubeThread.spawn(name: "kubeclient-async") {
                        let outcome: Result<T, KubeError>
                        do throws(KubeError) {
                            outcome = .success(try body(token))
                        } catch {
                            outcome = .failure(error)
                        }
                        continuation.resume(returning: outcome)
                    }
                    // Nobody joins it: it reaps itself when the call returns.
                    thread.detachWhenDone()
                } catch {
                    continuation.resume(returning: .failure(.system("could not start a thread for the call: \(error)")))
                }
            }
        } onCancel: {
            token.cancel()
        }
        return try result.get()
    }
}
