/// The parts of `RESTConfig.host` the transport needs: base URL, and the curl
/// `CONNECT_TO` mapping that emulates `tls-server-name`.
///
/// libcurl has no option to override SNI / the verified name. When a server name is
/// configured, the URL is rewritten to use that name (so curl sends it as SNI and checks
/// the certificate against it) and `CURLOPT_CONNECT_TO` sends the connection to the real
/// host and port; an explicit `Host` header keeps the server URL's host, so nothing but
/// TLS sees the name.
struct ServerEndpoint: Sendable, Hashable {
    /// Scheme, host, port and path prefix without a trailing slash.
    var baseURL: String
    /// "name:port:realhost:port" when a server name override is active.
    var connectTo: String?
    /// https: user credentials are only ever sent over TLS (as clientcmd loads them only
    /// for TLS configs), so a plain-http server never sees a token or password.
    var isTLS: Bool
    /// The Host header to send when the URL was rewritten for `tls-server-name`: the server
    /// name is a TLS setting only (SNI and verification), as in client-go.
    var hostHeader: String?

    init(host: String, serverName: String?) throws(KubeError) {
        var text = host
        if !text.contains("://") {
            // client-go accepts "host:port" and assumes https.
            text = "https://" + text
        }
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .config("server URL \"\(host)\" is not a URL")
        }
        let scheme = parts[0].lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw .config("server URL \"\(host)\" must use https or http")
        }
        let rest = parts[1]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var path = String(rest[authorityEnd...])
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        while path.hasSuffix("/") { path.removeLast() }
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        guard !authority.isEmpty else { throw .config("server URL \"\(host)\" has no host") }

        var hostPart = authority
        var port: String? = nil
        if authority.hasPrefix("[") {
            if let close = authority.firstIndex(of: "]") {
                hostPart = String(authority[...close])
                let after = authority[authority.index(after: close)...]
                if after.hasPrefix(":") { port = String(after.dropFirst()) }
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        if let port, !port.isEmpty {
            guard port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(port), (1...65_535).contains(number) else {
                throw .config("server URL \"\(host)\" has an invalid port \"\(port)\"")
            }
        }
        guard !hostPart.isEmpty, !hostPart.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "%") }) else {
            throw .config("server URL \"\(host)\" has an invalid host name")
        }
        let effectivePort = (port?.isEmpty == false ? port : nil) ?? (scheme == "https" ? "443" : "80")

        isTLS = scheme == "https"
        if let serverName, !serverName.isEmpty, serverName != hostPart {
            baseURL = "\(scheme)://\(serverName):\(effectivePort)\(path)"
            connectTo = "\(serverName):\(effectivePort):\(hostPart):\(effectivePort)"
            hostHeader = authority
        } else {
            baseURL = "\(scheme)://\(authority)\(path)"
            connectTo = nil
            hostHeader = nil
        }
    }
}
