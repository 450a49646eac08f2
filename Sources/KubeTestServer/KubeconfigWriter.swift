import Foundation

/// Writes the kubeconfig for a running server: one cluster, and one context per
/// credential (`token`, `client-cert` over TLS, `read-only`), current context `token`.
enum KubeconfigWriter {
    static func render(url: String, caPEM: String?, adminToken: String, readOnlyToken: String,
                       clientCertPEM: String?, clientKeyPEM: String?) -> String {
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        var clusters = """
        clusters:
        - name: kubeclient-testserver
          cluster:
            server: \(url)

        """
        if let caPEM { clusters += "    certificate-authority-data: \(b64(caPEM))\n" }
        var users = """
        users:
        - name: admin-token
          user:
            token: \(adminToken)
        - name: read-only
          user:
            token: \(readOnlyToken)

        """
        var contexts = """
        contexts:
        - name: token
          context:
            cluster: kubeclient-testserver
            user: admin-token
            namespace: default
        - name: read-only
          context:
            cluster: kubeclient-testserver
            user: read-only
            namespace: default

        """
        if let clientCertPEM, let clientKeyPEM {
            users += """
            - name: client-cert
              user:
                client-certificate-data: \(b64(clientCertPEM))
                client-key-data: \(b64(clientKeyPEM))

            """
            contexts += """
            - name: client-cert
              context:
                cluster: kubeclient-testserver
                user: client-cert
                namespace: default

            """
        }
        return "apiVersion: v1\nkind: Config\npreferences: {}\n" + clusters + users + contexts + "current-context: token\n"
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
