import KubeCore

/// One connection's hand-over from the upgraders, which see the request first, to whoever
/// acts on their decision: the pipeline installer (accepted) or `HTTPServerHandler` (refused,
/// the request then reaches it as an ordinary one and is answered with the stored response).
final class UpgradeSlot: Sendable {
    private let decision = Locked<StreamDecision?>(nil)

    func store(_ value: StreamDecision) {
        decision.withLock { $0 = value }
    }

    func take() -> StreamDecision? {
        decision.withLock { d in
            defer { d = nil }
            return d
        }
    }
}

/// Fails an upgrader's future when the upgrade is refused; `HTTPServerHandler` ignores it
/// (the refusal is answered as an HTTP response instead of closing the connection).
struct StreamUpgradeRefused: Error {}
