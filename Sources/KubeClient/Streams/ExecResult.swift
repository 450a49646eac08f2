/// A finished command: its exit status and everything it wrote (`KubeClient.execCollect`).
public struct ExecResult: Sendable, Equatable {
    /// The exit status; a non-zero exit is a result, not an error.
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32, stdout: [UInt8], stderr: [UInt8]) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }
}
