import KubeCore

/// Supplies the credential of each request from a `RESTConfig`'s `credentials`:
///
/// - `.bearerToken`, `.basic`, `.none`: fixed.
/// - `.tokenFile`: the file's token, re-read when the file changes, at least every minute,
///   and after `invalidate()` (projected service-account tokens rotate).
/// - `.exec`: the plugin's token or client certificate, cached until its
///   expirationTimestamp; `invalidate()` (after a 401) makes the next call run the plugin again.
///
/// Thread-safe: any thread may call `current()` and `invalidate()` at any time; concurrent
/// callers share one plugin run.
public final class CredentialProvider: Sendable {
    private enum Source: Sendable {
        case fixed(Credential)
        case tokenFile(TokenFileSource)
        case exec(ExecCredentialSource)
    }

    private let source: Source

    /// A provider for `config.credentials`.
    public convenience init(config: RESTConfig) {
        self.init(config: config, clock: SystemRuntimeClock())
    }

    /// `clock`: wall time for exec credential expiry, monotonic time for the token file's
    /// re-read interval; tests pass a `ManualRuntimeClock`.
    init(config: RESTConfig, clock: any RuntimeClock) {
        switch config.credentials {
        case .none:
            source = .fixed(.none)
        case .bearerToken(let token):
            source = .fixed(.bearer(token))
        case .basic(let username, let password):
            source = .fixed(.basic(username, password))
        case .tokenFile(let path):
            source = .tokenFile(TokenFileSource(path: path, clock: clock))
        case .exec(let exec):
            source = .exec(ExecCredentialSource(plugin: ExecPlugin(config: exec, restConfig: config), clock: clock))
        }
    }

    /// The credential to send now. Runs the exec plugin when nothing valid is cached, which
    /// may take a while; errors are `KubeError.config` and never contain the secret.
    ///
    /// `deadline` (a `MonotonicClock` instant in nanoseconds) and `cancellation` bound the wait
    /// for a plugin: past the deadline it fails with a transport timeout, on cancellation with
    /// a transport cancellation, and a plugin this call started is killed.
    public func current(deadline: UInt64? = nil, cancellation: CancellationToken? = nil) throws(KubeError) -> Credential {
        switch source {
        case .fixed(let credential): return credential
        case .tokenFile(let file): return .bearer(try file.token())
        case .exec(let exec): return try exec.credential(deadline: deadline, cancellation: cancellation)
        }
    }

    /// Kills a running exec plugin and fails every later `current()` with `.closed`; called
    /// when the client that owns this provider is closed.
    public func close() {
        if case .exec(let exec) = source { exec.close() }
    }

    /// Forgets the cached credential (call after a 401): the next `current()` re-reads the
    /// token file or re-runs the plugin. Does nothing for fixed credentials.
    public func invalidate() {
        switch source {
        case .fixed: break
        case .tokenFile(let file): file.invalidate()
        case .exec(let exec): exec.invalidate()
        }
    }

    /// Forgets the cached credential only if it is still `rejected` (the one a request just
    /// sent and got a 401 for). Prefer this over `invalidate()` when several requests may fail
    /// at once: the first refresh is kept instead of being thrown away by the others.
    public func invalidate(ifCurrent rejected: Credential) {
        switch source {
        case .fixed: break
        case .tokenFile(let file): file.invalidate()
        case .exec(let exec): exec.invalidate(ifCurrent: rejected)
        }
    }

    /// Whether `invalidate()` can lead to a different credential.
    public var canRefresh: Bool {
        if case .fixed = source { return false }
        return true
    }
}
