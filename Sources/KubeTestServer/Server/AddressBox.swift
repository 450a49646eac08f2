import Synchronization

/// The server's host:port, set once the socket is bound.
final class AddressBox: Sendable {
    private let storage = Mutex("")
    var value: String { storage.withLock { $0 } }
    func set(_ address: String) { storage.withLock { $0 = address } }
}
