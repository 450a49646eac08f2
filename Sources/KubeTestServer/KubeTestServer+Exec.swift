/// `pods/exec` and `pods/attach`: there is no container runtime, so commands run in-process.
/// A small built-in command set (`echo`, `cat`, `sh -c`, `sleep`, ...; see
/// Sources/KubeTestServer/Streams/README.md) answers unless a test registers its own handler.
///
/// ```swift
/// server.registerExecHandler(command: "upper") { call in
///     for await chunk in call.stdin { try await call.stdout.write(String(decoding: chunk, as: UTF8.self).uppercased()) }
///     return 0
/// }
/// ```
extension KubeTestServer {
    /// Runs `handler` for every exec whose argv[0] is `command`; with `command` nil, for every
    /// exec not matched by name (built-ins included). A later registration for the same name
    /// replaces the earlier one. The returned exit code is reported to the client.
    public func registerExecHandler(command: String? = nil, _ handler: @escaping ExecHandler) {
        cluster.streamHandlers.registerExec(command: command, handler)
    }

    /// Replaces the attachable "main process" of the matching containers (nil matches any).
    /// The default process echoes stdin to stdout and writes lines appended with `appendLog`
    /// to stdout; it ends (exit 0) when the client closes stdin. The handler sees an empty
    /// `command`; returning ends the attach with that exit code, as a main process exiting does.
    /// The most recent matching registration wins.
    public func registerAttachHandler(namespace: String? = nil, pod: String? = nil, container: String? = nil,
                                      _ handler: @escaping ExecHandler) {
        cluster.streamHandlers.registerAttach(.init(namespace: namespace, pod: pod, container: container), handler)
    }

    /// Forgets every registered exec and attach handler.
    public func removeStreamHandlers() {
        cluster.streamHandlers.removeAll()
    }
}
