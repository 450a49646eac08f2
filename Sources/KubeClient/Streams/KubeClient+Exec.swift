import KubeCore

extension KubeClient {
    /// Runs `command` in a container of the pod (`kubectl exec`) over a WebSocket
    /// (`v5.channel.k8s.io`, falling back to `v4.channel.k8s.io`). Returns once the upgrade
    /// succeeded: a missing pod (404) or container (400), a refused upgrade and an
    /// unsupported protocol are thrown here (`.api` with the server's Status, `.transport`).
    /// `cancellation` ends the session like `close()`.
    public func exec(namespace: String, pod: String, command: [String], options: ExecOptions = ExecOptions(),
                     cancellation: CancellationToken? = nil) throws(KubeError) -> ExecSession {
        guard !command.isEmpty else { throw .invalidArgument("exec needs a command") }
        return try openExecSession(subresource: "exec", namespace: namespace, pod: pod, command: command,
                                   options: options, cancellation: cancellation, protocols: ExecChannelProtocol.offered)
    }

    /// Attaches to the running main process of a container (`kubectl attach`); as `exec`.
    public func attach(namespace: String, pod: String, options: ExecOptions = ExecOptions(),
                       cancellation: CancellationToken? = nil) throws(KubeError) -> ExecSession {
        try openExecSession(subresource: "attach", namespace: namespace, pod: pod, command: [],
                            options: options, cancellation: cancellation, protocols: ExecChannelProtocol.offered)
    }

    /// The simple case: runs `command`, feeds it `stdin` (then closes stdin; on a
    /// `v4.channel.k8s.io` server, which cannot close it, stdin stays open until the command
    /// ends), and collects its output. A non-zero exit is a result, not an error.
    public func execCollect(namespace: String, pod: String, command: [String], stdin: [UInt8]? = nil,
                            options: ExecOptions = ExecOptions(),
                            cancellation: CancellationToken? = nil) throws(KubeError) -> ExecResult {
        var options = options
        options.stdin = stdin != nil
        let session = try exec(namespace: namespace, pod: pod, command: command, options: options, cancellation: cancellation)
        // Stdin goes from a thread of its own: writing it all before reading could deadlock
        // with a command that echoes it (cat) once both directions' buffers are full.
        var writer: KubeThread? = nil
        if let stdin {
            do {
                writer = try KubeThread.spawn(name: "kubeclient-exec-stdin") {
                    try? session.writeStdin(stdin)
                    if session.channelProtocol == ExecChannelProtocol.v5 { try? session.closeStdin() }
                }
            } catch {
                throw .closed("could not start a thread for stdin: \(error)")
            }
        }
        defer {
            session.close()  // ends a stdin write still blocked, so the join below returns
            writer?.join()
        }
        var out: [UInt8] = []
        var err: [UInt8] = []
        while let event = try session.next() {
            switch event {
            case .stdout(let bytes): out.append(contentsOf: bytes)
            case .stderr(let bytes): err.append(contentsOf: bytes)
            }
        }
        let code = try session.wait()
        return ExecResult(exitCode: code, stdout: out, stderr: err)
    }

    /// Exec or attach with an explicit list of offered subprotocols (tests force v4 with it).
    func openExecSession(subresource: String, namespace: String, pod: String, command: [String],
                         options: ExecOptions, cancellation: CancellationToken?,
                         protocols: [String]) throws(KubeError) -> ExecSession {
        guard !namespace.isEmpty else { throw .invalidArgument("\(subresource) needs a namespace") }
        guard options.stdin || options.stdout || (options.stderr && !options.tty) else {
            throw .invalidArgument("\(subresource) needs at least one of stdin, stdout and stderr")
        }
        let request = APIRequest(method: "GET", namespace: namespace, resource: "pods", name: pod,
                                 subresource: subresource,
                                 query: command.map { ("command", $0) } + options.queryItems)
        let http = try RESTClient.httpRequest(request)
        let connection = try rest.transport.openWebSocket(pathAndQuery: http.pathAndQuery, protocols: protocols,
                                                          cancellation: cancellation)
        return try ExecSession(connection: connection, options: options)
    }
}
