/// What an exec or attach session asks of the container (the `pods/exec` and `pods/attach`
/// query: `container`, `stdin`, `stdout`, `stderr`, `tty`).
public struct ExecOptions: Sendable, Hashable {
    /// The container; nil: the pod's only container (the server answers 400 when it has several).
    public var container: String?
    /// Open the command's stdin (`ExecSession.writeStdin`).
    public var stdin: Bool
    /// Receive the command's stdout.
    public var stdout: Bool
    /// Receive the command's stderr. Ignored with `tty`: a terminal has one output stream,
    /// so stderr arrives merged into stdout (as with `kubectl exec -t`).
    public var stderr: Bool
    /// Allocate a terminal (`ExecSession.resize` then sets its size).
    public var tty: Bool

    public init(container: String? = nil, stdin: Bool = false, stdout: Bool = true, stderr: Bool = true,
                tty: Bool = false) {
        self.container = container
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }

    /// The query items of the request (without `command`).
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let container, !container.isEmpty { items.append(("container", container)) }
        items.append(("stdin", stdin ? "true" : "false"))
        items.append(("stdout", stdout ? "true" : "false"))
        items.append(("stderr", stderr && !tty ? "true" : "false"))
        items.append(("tty", tty ? "true" : "false"))
        return items
    }
}
