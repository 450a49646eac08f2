extension Kubeconfig {
    /// A `users[].user` entry: how to authenticate, and whom to impersonate.
    public struct AuthInfo: Sendable, Hashable {
        /// `client-certificate`: PEM file path (absolute after loading).
        public var clientCertificate: String?
        /// `client-certificate-data`, base64-decoded (PEM).
        public var clientCertificateData: [UInt8]?
        /// `client-key`: PEM file path (absolute after loading).
        public var clientKey: String?
        /// `client-key-data`, base64-decoded (PEM).
        public var clientKeyData: [UInt8]?
        /// `token`: a bearer token.
        public var token: String?
        /// `tokenFile`: a file holding a bearer token (absolute after loading).
        public var tokenFile: String?
        /// `as`.
        public var impersonate: String?
        /// `as-uid`.
        public var impersonateUID: String?
        /// `as-groups`.
        public var impersonateGroups: [String]
        /// `as-user-extra`.
        public var impersonateUserExtra: [String: [String]]
        /// `username` (basic auth).
        public var username: String?
        /// `password` (basic auth).
        public var password: String?
        /// `auth-provider.name`. Auth providers are not supported; using one is an error.
        public var authProvider: String?
        /// `exec`: a credential plugin.
        public var exec: Exec?

        public init(clientCertificate: String? = nil, clientCertificateData: [UInt8]? = nil, clientKey: String? = nil,
                    clientKeyData: [UInt8]? = nil, token: String? = nil, tokenFile: String? = nil,
                    impersonate: String? = nil, impersonateUID: String? = nil, impersonateGroups: [String] = [],
                    impersonateUserExtra: [String: [String]] = [:], username: String? = nil, password: String? = nil,
                    authProvider: String? = nil, exec: Exec? = nil) {
            self.clientCertificate = clientCertificate
            self.clientCertificateData = clientCertificateData
            self.clientKey = clientKey
            self.clientKeyData = clientKeyData
            self.token = token
            self.tokenFile = tokenFile
            self.impersonate = impersonate
            self.impersonateUID = impersonateUID
            self.impersonateGroups = impersonateGroups
            self.impersonateUserExtra = impersonateUserExtra
            self.username = username
            self.password = password
            self.authProvider = authProvider
            self.exec = exec
        }
    }
}

extension Kubeconfig.AuthInfo: CustomStringConvertible {
    /// Names the authentication methods present, never their secrets.
    public var description: String {
        var methods: [String] = []
        if clientCertificate != nil || clientCertificateData != nil { methods.append("client-certificate") }
        if token != nil { methods.append("token") }
        if let tokenFile { methods.append("tokenFile(\(tokenFile))") }
        if let username { methods.append("basic(\(username))") }
        if let exec { methods.append("exec(\(exec.command))") }
        if let authProvider { methods.append("auth-provider(\(authProvider))") }
        return "AuthInfo(\(methods.joined(separator: ", ")))"
    }
}

extension Kubeconfig.AuthInfo: CustomReflectable {
    /// Keeps secrets out of `dump()` and debugger summaries.
    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}
