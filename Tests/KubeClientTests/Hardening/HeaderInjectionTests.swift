import KubeClient
import KubeCore
import Testing

/// Issue: CR/LF in a token, an impersonation field, the user agent or a content type
/// produced extra headers.
@Suite("Header values with control characters are refused")
struct HeaderInjectionTests {
    /// The error of one POST to a local server (plain HTTP, or TLS to a closed port when
    /// `tls`: credentials are only applied over TLS), or nil when it succeeded.
    private static func request(tls: Bool = false, _ adjust: (inout RESTConfig) -> Void,
                                contentType: String? = nil) throws -> KubeError? {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", filler: "", maxBytes: 0)
        defer { server.stop() }
        var config = RESTConfig(host: tls ? "https://127.0.0.1:1" : server.url, qps: -1)
        adjust(&config)
        do {
            let client = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
            _ = try client.rest.raw(method: "POST", path: "/api/v1/namespaces", body: Array("{}".utf8), contentType: contentType)
            return nil
        } catch {
            return error
        }
    }

    private static func isInvalidArgument(_ error: KubeError?) -> Bool {
        if case .invalidArgument = error { return true }
        return false
    }

    @Test("a bearer token with a line break is refused without echoing the token")
    func token() throws {
        let error = try Self.request(tls: true) { $0.credentials = .bearerToken("secret\r\nX-Evil: 1") }
        #expect(Self.isInvalidArgument(error))
        #expect(error?.description.contains("bearer token") == true)
        #expect(error?.description.contains("secret") == false)
        // Positive control: a good token passes the check and fails only at connect.
        let good = try Self.request(tls: true) { $0.credentials = .bearerToken("fine-token") }
        #expect(good != nil && !Self.isInvalidArgument(good))
    }

    @Test("impersonation fields, the user agent and the content type are checked too")
    func otherHeaders() throws {
        #expect(Self.isInvalidArgument(try Self.request { $0.impersonate = Impersonation(user: "jane\nX-Evil: 1") }))
        #expect(Self.isInvalidArgument(try Self.request { $0.impersonate = Impersonation(user: "jane", groups: ["a\rb"]) }))
        #expect(Self.isInvalidArgument(try Self.request { $0.impersonate = Impersonation(user: "jane", extra: ["k": ["v\n"]]) }))
        #expect(Self.isInvalidArgument(try Self.request { $0.userAgent = "agent\r\nX-Evil: 1" }))
        #expect(Self.isInvalidArgument(try Self.request({ _ in }, contentType: "application/json\r\nX-Evil: 1")))
        #expect(try Self.request { $0.impersonate = Impersonation(user: "jane") } == nil)
    }
}

/// Issue: with an http:// server the bearer token or basic-auth password was sent;
/// client-go applies user credentials only over TLS.
@Suite("Credentials are never sent over plain HTTP")
struct PlainHTTPCredentialTests {
    @Test("a token or basic-auth password configured for an http server is not sent")
    func noCredentialsOverHTTP() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        for credentials in [Credentials.bearerToken("secret-token"), .basic(username: "u", password: "secret-pw")] {
            let client = try KubeClient(config: RESTConfig(host: server.url, credentials: credentials, qps: -1),
                                        options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
            _ = try client.raw(method: "GET", path: "/api/v1/namespaces")
        }
        let heads = server.requestHeads
        #expect(heads.count == 2)
        for head in heads {
            #expect(!head.lowercased().contains("authorization"))
            #expect(!head.contains("secret"))
        }
    }

    @Test("tls-server-name changes only TLS: the Host header stays the server URL's")
    func hostHeaderWithServerName() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        var config = RESTConfig(host: server.url, qps: -1)
        config.tls.serverName = "kubernetes.default"
        let client = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
        _ = try client.raw(method: "GET", path: "/version")
        let head = try #require(server.requestHeads.first)
        #expect(head.contains("\r\nHost: 127.0.0.1:\(server.port)\r\n"))
        #expect(!head.contains("kubernetes.default"))
    }
}
