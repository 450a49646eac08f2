import KubeCore
import Testing
@testable import KubeClient

@Suite("Secrets stay out of messages; remembered warnings are bounded; bad TLS material is refused early")
struct RedactionAndLimitsTests {
    @Test("a password in the server URL is redacted in host and description")
    func urlPassword() {
        let config = RESTConfig(host: "https://admin:hunter2@example.com:6443/prefix")
        #expect(config.host == "https://admin:xxxxx@example.com:6443/prefix")
        #expect(!config.description.contains("hunter2"))
        var changed = config
        changed.host = "http://u:pw@h"
        #expect(changed.host == "http://u:xxxxx@h")
        #expect(RESTConfig(host: "https://user@h").host == "https://user@h")
        #expect(RESTConfig(host: "https://h/a:b@c").host == "https://h/a:b@c")
    }

    @Test("the warning dedupe set keeps only the most recent texts")
    func boundedWarnings() {
        var set = RecentSet(capacity: 4)
        var fresh = 0
        for index in 0..<100 where set.insert("warning \(index)") { fresh += 1 }
        #expect(fresh == 100)
        #expect(set.count == 4)
        let repeated = set.insert("warning 99")
        let forgotten = set.insert("warning 0")
        #expect(!repeated)
        #expect(forgotten)
    }

    @Test("a bad CA, client certificate or key, or URL is refused when the client is built")
    func badMaterial() {
        func message(_ adjust: (inout RESTConfig) -> Void) -> String {
            var config = RESTConfig(host: "https://127.0.0.1:6443")
            adjust(&config)
            do {
                _ = try KubeClient(config: config)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message { $0.tls.caData = Array("not a pem".utf8) }.contains("certificate authority"))
        #expect(message { $0.tls.caData = Array("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n".utf8) }
            .contains("certificate authority"))
        let cert = Array("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n".utf8)
        #expect(message { $0.tls.clientCertData = cert }.contains("without a client key"))
        #expect(message {
            $0.tls.clientCertData = cert
            $0.tls.clientKeyData = Array("garbage".utf8)
        }.contains("client key is not usable"))
        #expect(message {
            $0.tls.clientCertData = cert
            $0.tls.clientKeyData = Array("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n".utf8)
        } == "accepted")
        #expect(message { $0.host = "https://127.0.0.1:notaport" }.contains("invalid port"))
        #expect(message { $0.host = "https://bad host" }.contains("invalid host"))
    }
}
