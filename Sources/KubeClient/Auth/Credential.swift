/// The credential one request carries, as `CredentialProvider.current()` returns it.
public enum Credential: Sendable, Hashable {
    /// Nothing beyond the TLS settings (anonymous, or the kubeconfig's client certificate).
    case none
    /// `Authorization: Bearer <token>`.
    case bearer(String)
    /// `Authorization: Basic base64(username:password)`.
    case basic(String, String)
    /// A client certificate and key (PEM) from an exec plugin; they replace the TLS settings' pair.
    case clientCertificate(certPEM: [UInt8], keyPEM: [UInt8])
}

extension Credential: CustomStringConvertible {
    /// Names the kind of credential, never the secret.
    public var description: String {
        switch self {
        case .none: return "none"
        case .bearer: return "bearer(<redacted>)"
        case .basic(let username, _): return "basic(\(username), <redacted>)"
        case .clientCertificate(let cert, _): return "clientCertificate(\(cert.count) bytes, key <redacted>)"
        }
    }
}

extension Credential: CustomReflectable {
    /// Keeps secrets out of `dump()` and debugger summaries.
    public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
}
