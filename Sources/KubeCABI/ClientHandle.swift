import KubeClient
import KubeCore

/// What a `kc_client *` points at: the Swift client plus the watches started on it, so that
/// `kc_client_free` can stop and join them.
final class ClientHandle: Sendable {
    static let table = HandleTable<ClientHandle>(typeName: "kc_client")

    let client: KubeClient
    private let watches = Locked<[ObjectIdentifier: WatchHandle]>([:])

    init(client: KubeClient) {
        self.client = client
    }

    func track(_ watch: WatchHandle) {
        watches.withLock { $0[ObjectIdentifier(watch)] = watch }
    }

    func untrack(_ watch: WatchHandle) {
        _ = watches.withLock { $0.removeValue(forKey: ObjectIdentifier(watch)) }
    }

    /// Stops every watch still running on this client and waits for their threads.
    func stopWatches() {
        let running = watches.withLock { state -> [WatchHandle] in
            let all = Array(state.values)
            state.removeAll()
            return all
        }
        for watch in running { watch.stop() }
    }
}
