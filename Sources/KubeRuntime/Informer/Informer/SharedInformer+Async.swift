import KubeClient
import KubeCore

extension SharedInformer {
    /// Waits until the cache and every callback handler have synced, without blocking the
    /// cooperative pool; cancelling the Task ends the wait at once. Returns false when the
    /// informer was stopped or the Task cancelled before the sync.
    public func waitForSync() async -> Bool {
        let informer = self
        let synced = try? await BlockingCall.run { token in
            // Short slices: the token is looked at between them.
            while !token.isCancelled {
                if informer.waitForSync(timeout: .milliseconds(50)) { return true }
                if informer.isStopped { return false }
            }
            return false
        }
        return synced ?? false
    }
}

extension InformerFactory {
    /// `waitForSync()` of every informer the factory has made; see `SharedInformer.waitForSync()`.
    public func waitForSync() async -> Bool {
        for informer in informers.values where !(await informer.waitForSync()) { return false }
        return true
    }
}
