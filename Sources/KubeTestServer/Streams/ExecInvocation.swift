/// One `pods/exec` (or `pods/attach`) session as an exec handler sees it.
///
/// The handler runs on its own task; returning ends the command: the test server sends the
/// exit code on the error channel (0: `Success`, otherwise kube-apiserver's `NonZeroExitCode`
/// status) and closes the WebSocket. A thrown error is sent as an `InternalError` status. When
/// the client disconnects or the pod is deleted the task is cancelled: `stdin` and `resizes`
/// end and output writes throw.
public struct ExecInvocation: Sendable {
    public let namespace: String
    public let pod: String
    /// The container the client named, or the pod's only container.
    public let container: String
    /// argv as the client sent it (`command=` query values); empty for attach.
    public let command: [String]
    /// The client asked for a terminal: stderr is merged into stdout, and resize events arrive.
    public let tty: Bool
    /// What the client writes to stdin, chunk by chunk. Ends when the client closes stdin (the
    /// v5 CLOSE signal), disconnects, or did not ask for stdin.
    public let stdin: ExecInput
    /// Discards writes when the client did not ask for stdout.
    public let stdout: ExecOutput
    /// Writes go to stdout with a TTY; discarded when the client did not ask for stderr.
    public let stderr: ExecOutput
    /// Every terminal size the client reports, from the first, as it arrives.
    public let resizes: TerminalSizes

    let podUID: String

    /// The most recent terminal size (nil before the client sent one).
    public var terminalSize: TerminalSize? { resizes.feed.latest }
}

/// What runs a command: registered by tests, or the built-in set.
public typealias ExecHandler = @Sendable (ExecInvocation) async throws -> Int32
