import KubeCore

/// The exec and attach handlers tests registered; what is not covered falls back to the
/// built-in commands (`BuiltinCommands`) and the default attachable process (`DefaultAttach`).
final class StreamHandlers: Sendable {
    struct AttachFilter: Sendable {
        var namespace: String?
        var pod: String?
        var container: String?

        func matches(_ plan: RemoteCommandPlan) -> Bool {
            (namespace ?? plan.namespace) == plan.namespace && (pod ?? plan.pod) == plan.pod
                && (container ?? plan.container) == plan.container
        }
    }

    private struct State {
        var exec: [String: ExecHandler] = [:]
        var execFallback: ExecHandler?
        var attach: [(AttachFilter, ExecHandler)] = []
    }

    private let state = Locked(State())

    func registerExec(command: String?, _ handler: @escaping ExecHandler) {
        state.withLock { s in
            if let command { s.exec[command] = handler } else { s.execFallback = handler }
        }
    }

    func registerAttach(_ filter: AttachFilter, _ handler: @escaping ExecHandler) {
        state.withLock { $0.attach.append((filter, handler)) }
    }

    func removeAll() {
        state.withLock { $0 = State() }
    }

    /// The registered handler for argv[0], else the catch-all one, else nil (built-ins).
    func exec(for command: [String]) -> ExecHandler? {
        state.withLock { s in command.first.flatMap { s.exec[$0] } ?? s.execFallback }
    }

    /// The most recently registered matching attach handler, else nil (the default process).
    func attach(for plan: RemoteCommandPlan) -> ExecHandler? {
        state.withLock { s in s.attach.last { $0.0.matches(plan) }?.1 }
    }
}
