/// How requests authenticate, as configured. `CredentialProvider` turns this into the
/// `Credential` of each request (re-reading token files, running exec plugins).
/// A client certificate from the kubeconfig is not here but in `TLSSettings`.
public enum Credentials: Sendable, Hashable {
    /// No request-level credentials (anonymous, or client certificate only).
    case none
    /// `Authorization: Bearer <token>`.
    case bearerToken(String)
    /// A bearer token read from this file and re-read as it rotates (service-account tokens).
    case tokenFile(String)
    /// HTTP basic authentication.
    case basic(username: String, password: String)
    /// An exec credential plugin.
    case exec(ExecConfig)
}

extension Credentials: CustomStringConvertible {
    /// Names the kind of credentials, never the secret.
    public var description: String {
        switch self {
        case .none: return "none"
        case .bearerToken: return "bearerToken(<redacted>)"
        case .tokenFile(let path): return "tokenFile(\(path))"
        case .basic(let username, _): return "basic(username: \(username), password: <redacted>)"
        case .exec(let exec): return "exec(\(exec.command))"
        }
    }
}

extension Credentials: CustomReflectable {
    /// Keeps secrets out of `dump()` and debugger summaries.
    public var customMirror: Mirror { Mirror(self, children: ["kind": description]) }
}
