import KubeCore
import Testing
@testable import KubeClient
import KubeTestSupport

/// A token bound to a thread cancels the requests that thread makes without one of their own
/// (what `kc_cancel_bind` exposes to C).
@Suite("Thread-bound cancellation")
struct BoundCancellationTests {
    @Test("a bound token cancels a slow list on that thread promptly; unbound, the list succeeds")
    func boundTokenCancels() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        cluster.server.setLatency(.seconds(5))
        let token = CancellationToken()
        let canceller = try KubeThread.spawn(name: "canceller") {
            _ = CancellationTokenSleep.sleep(milliseconds: 200)
            token.cancel()
        }
        defer { canceller.join() }
        let began = ContinuousClock.now
        CancellationToken.withBound(token) {
            #expect(CancellationToken.boundToCurrentThread === token)
            #expect { try configMaps.list() } throws: { ($0 as? KubeError)?.isCancelled == true }
        }
        #expect(ContinuousClock.now - began < .seconds(3))
        // Restored after withBound; the same list succeeds once the server is fast again.
        #expect(CancellationToken.boundToCurrentThread == nil)
        cluster.server.setLatency(.zero)
        #expect(throws: Never.self) { try configMaps.list() }
    }

    @Test("bindings nest, and a cancelled bound token fails a call before it is sent")
    func nesting() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let outer = CancellationToken()
        let inner = CancellationToken()
        inner.cancel()
        CancellationToken.withBound(outer) {
            CancellationToken.withBound(inner) {
                #expect { try cluster.client.discovery.serverVersion() } throws: { ($0 as? KubeError)?.isCancelled == true }
            }
            #expect(CancellationToken.boundToCurrentThread === outer)
            #expect(throws: Never.self) { try cluster.client.discovery.serverVersion() }
        }
    }
}
