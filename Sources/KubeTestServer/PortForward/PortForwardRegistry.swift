import KubeCore

/// Where each pod port leads: there is no kubelet, so tests and the CLI say which TCP endpoint
/// stands behind `namespace/pod:port`. Ports nobody registered fail like a kubelet whose
/// container does not listen.
final class PortForwardRegistry: Sendable {
    struct Key: Hashable, Sendable {
        let namespace: String
        let pod: String
        let port: Int
    }

    struct Target: Hashable, Sendable {
        let host: String
        let port: Int
    }

    private let targets = Locked<[Key: Target]>([:])

    func register(namespace: String, pod: String, port: Int, target: Target) {
        targets.withLock { $0[Key(namespace: namespace, pod: pod, port: port)] = target }
    }

    func target(namespace: String, pod: String, port: Int) -> Target? {
        targets.withLock { $0[Key(namespace: namespace, pod: pod, port: port)] }
    }
}
