import Foundation
import KubeCore
import KubeTestServer
import NIOHTTP1
import Testing

/// HTTP/2 on the TLS listener, as kube-apiserver serves it: ALPN offers `h2` then `http/1.1`;
/// requests, watches (one long stream each) and PINGs share one connection.
@Suite("HTTP/2 over ALPN")
struct HTTP2Tests {
    func withTLSServer(_ body: (KubeTestServer) throws -> Void) throws {
        var options = KubeTestServerOptions()
        options.bookmarkInterval = .milliseconds(200)
        let server = try KubeTestServer.startBlocking(options)
        defer { server.stopBlocking() }
        try body(server)
    }

    @Test("an h2 client gets, watches and is answered PINGs on one connection")
    func getWatchPing() throws {
        try withTLSServer { server in
            let client = try HTTP2TestClient(port: server.port, token: server.adminToken)
            let created = try client.request(.POST, configMapsPath, body: configMap("a", data: ["k": "v"]).serializedBytes()).complete()
            #expect(created.status == 201)
            #expect(client.negotiatedProtocol() == "h2")

            let watch = try client.request(.GET, configMapsPath + "?watch=true&resourceVersion=0")
            // The watch stream stays open while other streams come and go on the same connection.
            let got = try client.request(.GET, configMapsPath + "/a").complete()
            #expect(got.status == 200)
            #expect(try JSON.parse(bytes: got.body)[path: ["data", "k"]] == "v")
            _ = try client.request(.POST, configMapsPath, body: configMap("b").serializedBytes()).complete()
            let events = try watch.wait { status, body, _ in
                status == 200 && String(decoding: body, as: UTF8.self).contains(#""name":"b""#)
            }
            let lines = String(decoding: events.body, as: UTF8.self).split(separator: "\n")
            #expect(lines.count >= 2)
            #expect(lines.allSatisfy { (try? JSON.parse(String($0)))?["type"] == "ADDED" })

            try client.ping(0x6b75_6265)
            try client.ping(42)
            // Bad requests are answered on their stream, not by dropping the connection.
            #expect(try client.request(.GET, configMapsPath + "/missing").complete().status == 404)
            #expect(try client.request(.GET, "/api/v1/namespaces/default/configmaps/a").complete().status == 200)
        }
    }

    // NIO's DoS defaults would close the connection after 200 control frames (or stream
    // resets) in 30 s; libcurl's client met that after 200 requests. Go's HTTP/2 server, which
    // kube-apiserver uses, has no such count.
    @Test("hundreds of PINGs and requests on one connection are all answered")
    func manyOnOneConnection() throws {
        try withTLSServer { server in
            let client = try HTTP2TestClient(port: server.port, token: server.adminToken)
            for n in 0..<300 { try client.ping(UInt64(n)) }
            for _ in 0..<300 { #expect(try client.request(.GET, "/version").complete().status == 200) }
        }
    }

    @Test("a watch with timeoutSeconds ends its stream, and the connection goes on")
    func watchEnds() throws {
        try withTLSServer { server in
            let client = try HTTP2TestClient(port: server.port, token: server.adminToken)
            let ended = try client.request(.GET, configMapsPath + "?watch=true&timeoutSeconds=1").complete()
            #expect(ended.status == 200)
            #expect(try client.request(.GET, configMapsPath).complete().status == 200)
        }
    }

    @Test("HTTP/1.1 stays for clients that offer only it, and the option can turn h2 off",
          .enabled(if: ProcessRunner.find("curl") != nil, "curl is not installed"))
    func http1Kept() throws {
        try withTLSServer { server in
            let curl = try ProcessRunner.run(ProcessRunner.find("curl") ?? "/usr/bin/curl",
                                             ["-sk", "--http1.1", "-o", "/dev/null", "-w", "%{http_version}", "-H", "Authorization: Bearer \(server.adminToken)", server.url + "/version"],
                                             environment: [:], stdin: nil)
            #expect(curl.stdout == "1.1")
            let h2 = try ProcessRunner.run(ProcessRunner.find("curl") ?? "/usr/bin/curl",
                                           ["-sk", "--http2", "-o", "/dev/null", "-w", "%{http_version}", "-H", "Authorization: Bearer \(server.adminToken)", server.url + "/version"],
                                           environment: [:], stdin: nil)
            #expect(h2.stdout == "2")
        }
        var options = KubeTestServerOptions()
        options.http2 = false
        let server = try KubeTestServer.startBlocking(options)
        defer { server.stopBlocking() }
        let curl = try ProcessRunner.run(ProcessRunner.find("curl") ?? "/usr/bin/curl",
                                         ["-sk", "--http2", "-o", "/dev/null", "-w", "%{http_version}", server.url + "/version"],
                                         environment: [:], stdin: nil)
        #expect(curl.stdout == "1.1")
    }
}
