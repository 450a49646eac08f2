import FoundationEssentials
import Synchronization

/// Caches an exec plugin's credential until its expirationTimestamp (forever when it has
/// none) or until `invalidate()`; one plugin run at a time. Callers arriving while the plugin
/// runs wait for it and share its result instead of starting their own.
final class ExecCredentialSource: Sendable {
    private let plugin: ExecPlugin
    private let clock: CredentialClock
    // Held while the plugin runs: that is what makes concurrent refreshes single-flight.
    private let cache = Mutex<ExecPlugin.Result?>(nil)

    init(plugin: ExecPlugin, clock: CredentialClock) {
        self.plugin = plugin
        self.clock = clock
    }

    func credential() throws(KubeError) -> Credential {
        try cache.withLock { (cached: inout ExecPlugin.Result?) throws(KubeError) -> Credential in
            if let cached, !isExpired(cached) { return cached.credential }
            let fresh = try plugin.run()
            cached = fresh
            return fresh.credential
        }
    }

    /// The next `credential()` runs the plugin again.
    func invalidate() {
        cache.withLock { $0 = nil }
    }

    /// Like `invalidate()`, but only while `rejected` is still the cached credential: when
    /// several requests fail with the same stale credential, the plugin runs once, not once
    /// per request (client-go's `maybeRefreshCreds`).
    func invalidate(ifCurrent rejected: Credential) {
        cache.withLock { cached in
            if cached?.credential == rejected { cached = nil }
        }
    }

    private func isExpired(_ result: ExecPlugin.Result) -> Bool {
        guard let expiry = result.expiry else { return false }
        return clock.now() >= expiry
    }
}
