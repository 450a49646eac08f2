import KubeClient
import KubeCore
import Testing

/// Issue: CR/LF in a token, an impersonation field, the user agent or a content type
/// produced extra headers.
@Suite("Header values with control characters are refused")
struct HeaderInjectionTests {
    private static func request(_ adjust: (inout RESTConfig) -> Void, contentType: String? = nil) throws -> KubeError? {
        let server = try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", filler: "", maxBytes: 0)
        defer { server.stop() }
        var config = RESTConfig(host: server.url, qps: -1)
        adjust(&config)
        do {
            let client = try KubeClient(config: config, options: TransportOptions(retryPolicy: .none, warningHandler: .ignore))
            _ = try client.rest.raw(method: "POST", path: "/api/v1/namespaces", body: Array("{}".utf8), contentType: contentType)
            return nil
        } catch {
            #expect(server.requestLines.isEmpty, "nothing may be sent")
            return error
        }
    }

    @Test("a bearer token with a line break is refused without echoing the token")
    func token() throws {
        let error = try #require(try Self.request { $0.credentials = .bearerToken("secret\r\nX-Evil: 1") })
        #expect(error.description.contains("bearer token"))
        #expect(!error.description.contains("secret"))
    }

    @Test("impersonation fields, the user agent and the content type are checked too")
    func otherHeaders() throws {
        #expect(try Self.request { $0.impersonate = Impersonation(user: "jane\nX-Evil: 1") } != nil)
        #expect(try Self.request { $0.impersonate = Impersonation(user: "jane", groups: ["a\rb"]) } != nil)
        #expect(try Self.request { $0.impersonate = Impersonation(user: "jane", extra: ["k": ["v\n"]]) } != nil)
        #expect(try Self.request { $0.userAgent = "agent\r\nX-Evil: 1" } != nil)
        #expect(try Self.request({ _ in }, contentType: "application/json\r\nX-Evil: 1") != nil)
        #expect(try Self.request { $0.credentials = .bearerToken("fine-token") } == nil)
    }
}
