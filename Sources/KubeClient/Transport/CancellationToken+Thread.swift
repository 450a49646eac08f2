import Glibc

/// A token bound to the calling thread cancels every request that thread makes without a
/// token of its own: the C API's `kc_cancel_bind`, for calls whose signatures have no
/// room for one (Go passes a `context.Context` to each; C and Python have no such habit).
extension CancellationToken {
    /// The pthread key holding a retained token; its destructor releases it when a thread
    /// that never unbound ends.
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<CancellationToken>.fromOpaque(raw).release()
        }
        return rc == 0 ? key : nil
    }()

    /// The token bound to the calling thread, if any.
    public static var boundToCurrentThread: CancellationToken? {
        guard let key, let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<CancellationToken>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Binds `token` to the calling thread (nil unbinds), replacing any bound before.
    /// Returns false when the system has no thread-specific key left.
    @discardableResult
    public static func bindToCurrentThread(_ token: CancellationToken?) -> Bool {
        guard let key else { return false }
        let new = token.map { Unmanaged.passRetained($0).toOpaque() }
        let old = pthread_getspecific(key)
        guard pthread_setspecific(key, new) == 0 else {
            if let new { Unmanaged<CancellationToken>.fromOpaque(new).release() }
            return false
        }
        if let old { Unmanaged<CancellationToken>.fromOpaque(old).release() }
        return true
    }

    /// Runs `body` with `token` bound to the thread, then restores what was bound before.
    @discardableResult
    public static func withBound<T, E: Error>(_ token: CancellationToken, _ body: () throws(E) -> T) throws(E) -> T {
        let previous = boundToCurrentThread
        bindToCurrentThread(token)
        defer { bindToCurrentThread(previous) }
        return try body()
    }
}
