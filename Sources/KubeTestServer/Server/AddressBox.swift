import KubeCore

/// The server's host:port, set once the socket is bound.
final class AddressBox: Sendable {
    private let storage = Locked("")
    var value: String { storage.withLock { $0 } }
    func set(_ address: String) { storage.withLock { $0 = address } }
}
