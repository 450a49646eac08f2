/// How the transport sets up TLS. Certificates and keys are PEM bytes held in memory:
/// the transport hands them to libcurl as blobs and never writes them to disk.
public struct TLSSettings: Sendable, Hashable {
    /// PEM CA bundle to trust instead of the system roots; nil means the system roots.
    public var caData: [UInt8]?
    /// PEM client certificate (chain) for mutual TLS.
    public var clientCertData: [UInt8]?
    /// PEM private key of `clientCertData`.
    public var clientKeyData: [UInt8]?
    /// Skip server certificate verification. Only ever true when the kubeconfig says so.
    public var insecureSkipTLSVerify: Bool
    /// Name to verify the server certificate against (and send as SNI) instead of the host.
    public var serverName: String?

    public init(caData: [UInt8]? = nil, clientCertData: [UInt8]? = nil, clientKeyData: [UInt8]? = nil,
                insecureSkipTLSVerify: Bool = false, serverName: String? = nil) {
        self.caData = caData
        self.clientCertData = clientCertData
        self.clientKeyData = clientKeyData
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.serverName = serverName
    }

    /// True when both a client certificate and key are present.
    public var hasClientCertificate: Bool {
        !(clientCertData ?? []).isEmpty && !(clientKeyData ?? []).isEmpty
    }
}

extension TLSSettings: CustomStringConvertible {
    /// Says which parts are set, never the key itself.
    public var description: String {
        var parts: [String] = []
        if let caData { parts.append("caData: \(caData.count) bytes") }
        if let clientCertData { parts.append("clientCertData: \(clientCertData.count) bytes") }
        if clientKeyData != nil { parts.append("clientKeyData: <redacted>") }
        if insecureSkipTLSVerify { parts.append("insecureSkipTLSVerify: true") }
        if let serverName { parts.append("serverName: \(serverName)") }
        return "TLSSettings(\(parts.joined(separator: ", ")))"
    }
}
