import Logging

/// Tuning of the client's transport beyond what `RESTConfig` carries.
public struct TransportOptions: Sendable {
    /// Retry behaviour (see `RetryPolicy`). Default `.default`.
    public var retryPolicy: RetryPolicy
    /// Receives server `Warning` headers. Default: log each distinct text once.
    public var warningHandler: WarningHandler
    /// Idle connections (curl easy handles) kept for reuse. Default 16.
    public var maxIdleConnections: Int
    /// TCP connect + TLS handshake timeout. Default 30 s (client-go's dialer timeout).
    public var connectTimeout: Duration
    /// Receive buffer handed to curl; bigger means fewer callbacks on large lists. Default 256 KiB.
    public var receiveBufferSize: Int
    /// Ask for gzip/deflate responses (`Accept-Encoding`), decoded by curl. Default true, like
    /// client-go; turn off on fast local links where decompression costs more than it saves.
    public var compression: Bool
    /// Caps on what the server may send (bodies, error bodies, watch events, headers): a
    /// hostile or broken server gets a clear error instead of exhausting memory.
    public var limits: ResponseLimits
    /// Where the transport logs (client-side throttling). Default: label "kubeclient".
    public var logger: Logger

    public init(retryPolicy: RetryPolicy = .default,
                warningHandler: WarningHandler = .logOnce(),
                maxIdleConnections: Int = 16,
                connectTimeout: Duration = .seconds(30),
                receiveBufferSize: Int = 256 * 1024,
                compression: Bool = true,
                limits: ResponseLimits = ResponseLimits(),
                logger: Logger = Logger(label: "kubeclient")) {
        self.retryPolicy = retryPolicy
        self.warningHandler = warningHandler
        self.maxIdleConnections = maxIdleConnections
        self.connectTimeout = connectTimeout
        self.receiveBufferSize = receiveBufferSize
        self.compression = compression
        self.limits = limits
        self.logger = logger
    }
}
