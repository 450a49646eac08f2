/// A command that is not in the built-in set and has no registered handler: the client gets
/// the `InternalError` status a container runtime's failed exec turns into.
struct CommandNotFound: Error, CustomStringConvertible {
    var name: String
    var description: String {
        "error executing command in container: failed to exec in container: OCI runtime exec failed: exec failed: unable to start container process: exec: \"\(name)\": executable file not found in $PATH: unknown"
    }
}
