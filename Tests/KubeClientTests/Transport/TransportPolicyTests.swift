import KubeCore
import Logging
import Testing
@testable import KubeClient

@Suite("Transport policies")
struct TransportPolicyTests {
    @Test("Warning headers yield their quoted texts, several per value")
    func warningHeaderParsing() {
        #expect(WarningHeaderParser.texts(#"299 - "v1 ComponentStatus is deprecated""#) == ["v1 ComponentStatus is deprecated"])
        #expect(WarningHeaderParser.texts(#"299 - "a \"quoted\" word", 299 - "second" "Sat, 01 Jan 2000 00:00:00 GMT""#)
            == [#"a "quoted" word"#, "second"])
        #expect(WarningHeaderParser.texts("garbage").isEmpty)
    }

    @Test("the default warning handler logs each distinct text once")
    func warningDedup() {
        let seen = Counter()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: seen) }
        let handler = WarningHandler.logOnce(logger: logger)
        handler("a")
        handler("a")
        handler("b")
        #expect(seen.values.count == 2)
        #expect(seen.values.first?.contains("a") == true)
    }

    @Test("Retry-After seconds are honoured and capped; absent means exponential backoff")
    func retryDelays() {
        let policy = RetryPolicy(maxRetries: 3, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1),
                                 maxRetryAfter: .seconds(5), jitter: 0)
        #expect(policy.delay(retryAfter: "2", attempt: 0) == .seconds(2))
        #expect(policy.delay(retryAfter: "120", attempt: 0) == .seconds(5))
        #expect(policy.delay(retryAfter: nil, attempt: 0) == .milliseconds(100))
        #expect(policy.delay(retryAfter: nil, attempt: 2) == .milliseconds(400))
        #expect(policy.delay(retryAfter: nil, attempt: 10) == .seconds(1))
    }

    @Test("the token bucket allows a burst, then spaces requests at 1/qps")
    func tokenBucket() {
        let clock = ManualRuntimeClock()
        let limiter = TokenBucketRateLimiter(qps: 10, burst: 3, clock: clock)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .milliseconds(100))
        clock.step(.milliseconds(200))
        #expect(limiter.reserve() == .zero)
    }

    @Test("server URLs keep their path prefix and tls-server-name becomes a connect-to mapping")
    func serverEndpoint() throws {
        let plain = try ServerEndpoint(host: "https://10.0.0.1:6443/prefix/", serverName: nil)
        #expect(plain.baseURL == "https://10.0.0.1:6443/prefix")
        #expect(plain.connectTo == nil)
        let named = try ServerEndpoint(host: "https://127.0.0.1:8443", serverName: "kubernetes.default")
        #expect(named.baseURL == "https://kubernetes.default:8443")
        #expect(named.connectTo == "kubernetes.default:8443:127.0.0.1:8443")
        let bare = try ServerEndpoint(host: "example.com", serverName: nil)
        #expect(bare.baseURL == "https://example.com")
        #expect(throws: KubeError.self) { try ServerEndpoint(host: "ftp://x", serverName: nil) }
    }

    @Test("impersonation extra keys are escaped for header names")
    func headerKeyEscape() {
        #expect(Transport.headerKeyEscape("scopes") == "scopes")
        #expect(Transport.headerKeyEscape("example.com/key one") == "example.com%2Fkey%20one")
    }

    @Test("impersonation becomes Impersonate-* headers")
    func impersonation() throws {
        var config = RESTConfig(host: "https://127.0.0.1:1")
        config.impersonate = Impersonation(user: "jane", uid: "42", groups: ["devs", "ops"], extra: ["scopes": ["a", "b"]])
        let transport = try Transport(config: config, credentials: CredentialProvider(config: config), options: TransportOptions())
        #expect(transport.impersonationHeaders().map { "\($0.0): \($0.1)" } == [
            "Impersonate-User: jane", "Impersonate-Uid: 42", "Impersonate-Group: devs", "Impersonate-Group: ops",
            "Impersonate-Extra-scopes: a", "Impersonate-Extra-scopes: b",
        ])
    }

    @Test("a cancelled token interrupts a sleep")
    func cancelledSleep() {
        let token = CancellationToken()
        token.cancel()
        #expect(token.sleep(nanoseconds: 5_000_000_000) == false)
        #expect(CancellationToken.sleep(nanoseconds: 1_000, token: nil))
    }
}

/// Collects strings from a @Sendable closure.
final class Counter: @unchecked Sendable {
    private let lock = ConditionLock()
    private var storage: [String] = []
    func add(_ value: String) { lock.withLock { storage.append(value) } }
    var values: [String] { lock.withLock { storage } }
}

/// A swift-log handler that records messages.
struct CapturingLogHandler: LogHandler {
    let sink: Counter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { sink.add(event.message.description) }
}

@Suite("Client-side throttling")
struct ThrottleReportTests {
    @Test("a request that waits more than a second for the rate limiter is logged once")
    func throttledRequestIsLogged() throws {
        let server = try RecordingHTTPServer()
        defer { server.stop() }
        let seen = Counter()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(sink: seen) }
        let client = try KubeClient(config: RESTConfig(host: server.url, qps: 0.8, burst: 1),
                                    options: TransportOptions(retryPolicy: .none, warningHandler: .ignore, logger: logger))
        _ = try client.raw(method: "GET", path: "/version")
        #expect(seen.values.isEmpty, "the first request takes the burst token without waiting")
        _ = try client.raw(method: "GET", path: "/version")
        #expect(seen.values.count == 1)
        #expect(seen.values.first?.contains("client-side throttling") == true)
    }
}
