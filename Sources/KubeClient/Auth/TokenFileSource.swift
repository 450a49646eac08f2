import KubeCore

/// A bearer token read from a file and re-read as it rotates (client-go's cached file token
/// source): re-read when the file's identity (inode, size, mtime) changes, at least once a
/// minute, and after `invalidate()`. When a re-read fails the last good token is kept, as
/// client-go does, so a rotation caught half-way does not fail requests.
final class TokenFileSource: Sendable {
    /// Re-read at least this often even if the file looks unchanged (client-go: one minute).
    static let maxAgeNanoseconds: UInt64 = 60 * 1_000_000_000

    private struct State {
        var token: String?
        var identity: LocalFileIdentity?
        var readAt: UInt64 = 0
        var stale = true
    }

    let path: String
    /// Monotonic time for the re-read interval (a manual clock in tests).
    private let clock: any RuntimeClock
    private let state = Locked(State())

    init(path: String, clock: any RuntimeClock) {
        self.path = path
        self.clock = clock
    }

    func token() throws(KubeError) -> String {
        let identity = LocalFile.identity(path)
        let now = clock.nanoseconds()
        return try state.withLock { (state: inout State) throws(KubeError) -> String in
            if let token = state.token, !state.stale, identity == state.identity,
               now &- state.readAt < Self.maxAgeNanoseconds {
                return token
            }
            let text: String
            do throws(LocalFileError) {
                text = try LocalFile.text(of: path).trimmingWhitespace()
            } catch {
                if let token = state.token { return token }
                throw .config("cannot read token file \"\(path)\": \(error.reason)")
            }
            guard !text.isEmpty else {
                if let token = state.token { return token }
                throw .config("token file \"\(path)\" is empty")
            }
            state = State(token: text, identity: identity, readAt: now, stale: false)
            return text
        }
    }

    /// The next `token()` reads the file again.
    func invalidate() {
        state.withLock { $0.stale = true }
    }
}
