import KubeCore
import Testing
@testable import KubeClient
import KubeTestSupport

/// A token bound to a thread cancels the requests that thread makes without one of their own
/// (what `kc_cancel_bind` exposes to C).
@Suite("Thread-bound cancellation")
struct BoundCancellationTests {
    @Test("a bound token cancels a slow request on that thread; unbound, the request succeeds")
    func boundTokenCancels() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        // The server stores the object at once and holds the answer back far longer than the
        // test runs: the cancel, sent once the object exists, is what ends the call.
        cluster.server.setLatency(.seconds(60))
        let token = CancellationToken()
        let server = cluster.server
        let canceller = try InFlightCanceller(token) {
            server.get(apiVersion: "v1", kind: "ConfigMap", name: "in-flight") != nil
        }
        CancellationToken.withBound(token) {
            #expect(CancellationToken.boundToCurrentThread === token)
            #expect { try configMaps.create(TestCluster.configMap("in-flight")) } throws: { ($0 as? KubeError)?.isCancelled == true }
        }
        #expect(canceller.join(), "cancelled before the server had the request")
        // Restored after withBound; the same kind of request succeeds once the server is fast again.
        #expect(CancellationToken.boundToCurrentThread == nil)
        cluster.server.setLatency(.zero)
        #expect(throws: Never.self) { try configMaps.create(TestCluster.configMap("after")) }
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
