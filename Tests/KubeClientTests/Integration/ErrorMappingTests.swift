import Foundation
import KubeClient
import KubeCore
import KubeTestServer
import Testing
import KubeTestSupport

@Suite("Error mapping against the test server")
struct ErrorMappingTests {
    @Test("401 for a wrong token, 403 for a read-only token writing")
    func unauthorizedAndForbidden() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let wrong = try cluster.client { $0.credentials = .bearerToken("not-a-valid-token") }
        #expect {
            try wrong.resource(TestCluster.configMaps).namespace("default").list()
        } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.isUnauthorized && !error.description.contains("not-a-valid-token")
        }
        let readOnly = try cluster.client { $0.credentials = .bearerToken(cluster.server.readOnlyToken) }
        let configMaps = readOnly.resource(TestCluster.configMaps).namespace("default")
        _ = try configMaps.list()
        #expect { try configMaps.create(TestCluster.configMap("nope")) } throws: { ($0 as? KubeError)?.isForbidden == true }
    }

    @Test("404, 409 already exists, 422 invalid carry the server's Status")
    func statusErrors() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let configMaps = cluster.client.resource(TestCluster.configMaps).namespace("default")
        #expect { try configMaps.get("missing") } throws: { error in
            guard let error = error as? KubeError, let status = error.status else { return false }
            return error.isNotFound && status.code == 404 && status.message.contains("missing")
        }
        _ = try configMaps.create(TestCluster.configMap("twice"))
        #expect { try configMaps.create(TestCluster.configMap("twice")) } throws: { ($0 as? KubeError)?.isAlreadyExists == true }
        #expect { try configMaps.create(TestCluster.configMap("Not_A_Valid_Name")) } throws: { error in
            guard let error = error as? KubeError else { return false }
            return error.isInvalid && error.status?.code == 422
        }
    }

    @Test("429 is retried after Retry-After and then succeeds")
    func tooManyRequestsRetried() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        cluster.server.failNext(2, status: 429, path: "/configmaps", retryAfterSeconds: 1)
        let began = ContinuousClock.now
        let list = try cluster.client.resource(TestCluster.configMaps).namespace("default").list()
        #expect(list.items.isEmpty)
        #expect(ContinuousClock.now - began >= .seconds(2))
    }

    @Test("429 without retries left surfaces as TooManyRequests")
    func tooManyRequestsExhausted() throws {
        let cluster = try TestCluster(retry: .none)
        defer { cluster.stop() }
        cluster.server.failNext(1, status: 429, path: "/configmaps", retryAfterSeconds: 1)
        #expect {
            try cluster.client.resource(TestCluster.configMaps).namespace("default").list()
        } throws: { ($0 as? KubeError)?.isTooManyRequests == true }
    }

    @Test("503 on a GET is retried; on a POST without Retry-After it is not")
    func serviceUnavailable() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        cluster.server.failNext(1, status: 503, path: "/configmaps", retryAfterSeconds: 0)
        #expect(try cluster.client.resource(TestCluster.configMaps).namespace("default").list().items.isEmpty)
        cluster.server.failNext(FailureRule(status: 500, count: 1, pathContains: "/configmaps", method: "POST"))
        #expect {
            try cluster.client.resource(TestCluster.configMaps).namespace("default").create(TestCluster.configMap("x"))
        } throws: { ($0 as? KubeError)?.status?.code == 500 }
    }

    @Test("a slow answer past the configured timeout is a timeout transport error")
    func timeout() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // The answer comes long after the timeout: only the timeout can end the call.
        cluster.server.setLatency(.seconds(60))
        let impatient = try cluster.client { $0.timeout = .milliseconds(300) }
        #expect { try impatient.resource(TestCluster.configMaps).namespace("default").list() } throws: { error in
            guard let error = error as? KubeError, case .transport(let transport) = error else { return false }
            return transport.kind == .timeout && error.isTimeout
        }
    }

    @Test("cancelling a blocked request from another thread ends it as cancelled")
    func cancelRequest() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        // The server stores the object at once and holds the answer back far longer than the
        // test runs: the cancel, sent once the object exists, is what ends the call.
        cluster.server.setLatency(.seconds(60))
        let token = CancellationToken()
        let server = cluster.server
        let canceller = try InFlightCanceller(token) {
            server.get(apiVersion: "v1", kind: "ConfigMap", name: "in-flight") != nil
        }
        let body = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"in-flight"}}"#.utf8)
        let request = APIRequest(method: "POST", version: "v1", namespace: "default", resource: "configmaps",
                                 body: body, contentType: "application/json")
        #expect { try cluster.client.rest.send(request, cancellation: token) } throws: { ($0 as? KubeError)?.isCancelled == true }
        #expect(canceller.join(), "cancelled before the server had the request")
    }

    @Test("an unreachable server is a connect transport error")
    func unreachable() throws {
        let config = RESTConfig(host: "https://127.0.0.1:1", qps: -1)
        let client = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        #expect { try client.discovery.serverVersion() } throws: { error in
            guard let error = error as? KubeError, case .transport(let transport) = error else { return false }
            return transport.kind == .connect
        }
    }

    @Test("a server certificate from another CA fails TLS verification")
    func wrongCA() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let other = try TestCluster()
        defer { other.stop() }
        let client = try cluster.client { $0.tls.caData = other.server.caPEM.map { Array($0.utf8) } }
        #expect { try client.discovery.serverVersion() } throws: { error in
            guard let error = error as? KubeError, case .transport(let transport) = error else { return false }
            return transport.kind == .tls && transport.message.contains("verif")
        }
        // insecure-skip-tls-verify accepts it.
        let insecure = try cluster.client {
            $0.tls.caData = nil
            $0.tls.insecureSkipTLSVerify = true
        }
        #expect(try !insecure.discovery.serverVersion().gitVersion.isEmpty)
    }

    @Test("tls-server-name is verified against the certificate while connecting to the configured host")
    func tlsServerName() throws {
        let cluster = try TestCluster()
        defer { cluster.stop() }
        let named = try cluster.client {
            $0.host = "https://127.0.0.1:\(cluster.server.port)"
            $0.tls.serverName = "localhost"
        }
        #expect(try !named.discovery.serverVersion().gitVersion.isEmpty)
        let wrong = try cluster.client { $0.tls.serverName = "not-the-server.example" }
        #expect { try wrong.discovery.serverVersion() } throws: { error in
            guard let error = error as? KubeError, case .transport(let transport) = error else { return false }
            return transport.kind == .tls
        }
    }

    @Test("malformed JSON from the server is a decoding error naming the request")
    func malformedJSON() throws {
        let stub = try StubHTTPServer(body: "{\"kind\": \"ConfigMap\", \"metadata\": {")
        defer { stub.stop() }
        let client = try KubeClient(config: RESTConfig(host: "http://127.0.0.1:\(stub.port)", qps: -1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        #expect {
            try client.resource(TestCluster.configMaps).namespace("default").get("broken")
        } throws: { error in
            guard let error = error as? KubeError, case .decoding(let message) = error else { return false }
            return message.contains("malformed JSON") && message.contains("broken")
        }
    }
}
