import Synchronization

/// How many connections each protocol has served, so tests can tell which one a client chose
/// (kubectl, for one, says nothing about it).
final class ConnectionStats: Sendable {
    private let http1 = Atomic<Int>(0)
    private let http2 = Atomic<Int>(0)

    func opened(http2 isHTTP2: Bool) {
        if isHTTP2 {
            http2.wrappingAdd(1, ordering: .relaxed)
        } else {
            http1.wrappingAdd(1, ordering: .relaxed)
        }
    }

    var http1Connections: Int { http1.load(ordering: .relaxed) }
    var http2Connections: Int { http2.load(ordering: .relaxed) }
}
