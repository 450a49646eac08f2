import KubeCore

extension Kubeconfig {
    /// A `clusters[].cluster` entry.
    public struct Cluster: Sendable, Hashable {
        /// `server`: the API server URL.
        public var server: String?
        /// `certificate-authority`: path of a PEM CA file (absolute after loading).
        public var certificateAuthority: String?
        /// `certificate-authority-data`, base64-decoded (PEM).
        public var certificateAuthorityData: [UInt8]?
        /// `insecure-skip-tls-verify`.
        public var insecureSkipTLSVerify: Bool
        /// `tls-server-name`.
        public var tlsServerName: String?
        /// `proxy-url`.
        public var proxyURL: String?
        /// The `client.authentication.k8s.io/exec` extension, handed to exec plugins.
        public var execExtension: JSON?
        /// `disable-compression`: ask for uncompressed responses (no Accept-Encoding).
        public var disableCompression: Bool = false

        public init(server: String? = nil, certificateAuthority: String? = nil, certificateAuthorityData: [UInt8]? = nil,
                    insecureSkipTLSVerify: Bool = false, tlsServerName: String? = nil, proxyURL: String? = nil,
                    execExtension: JSON? = nil) {
            self.server = server
            self.certificateAuthority = certificateAuthority
            self.certificateAuthorityData = certificateAuthorityData
            self.insecureSkipTLSVerify = insecureSkipTLSVerify
            self.tlsServerName = tlsServerName
            self.proxyURL = proxyURL
            self.execExtension = execExtension
        }
    }
}
