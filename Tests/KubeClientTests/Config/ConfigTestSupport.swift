import Foundation
@testable import KubeClient

/// A temporary folder for one test, removed when the value is deinitialised.
final class ConfigTestDirectory {
    let path: String

    init() throws {
        let template = NSTemporaryDirectory() + "kubeclient-config-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` at `relative` (creating folders) and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String, executable: Bool = false) throws -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full)
        }
        return full
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path + "/" + relative, encoding: .utf8)
    }
}

func rfc3339(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
}

/// The message of a `KubeError.config`, or a description of whatever else was thrown.
func configMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as KubeError {
        if case .config(let message) = error { return message }
        return "unexpected \(error)"
    } catch {
        return "unexpected \(error)"
    }
}

enum Fixtures {
    static let caPEM = "-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIBADAKBggqhkjOPQQDAjAVMRMwEQYDVQQDEwprdWJlcm5ldGVz\n-----END CERTIFICATE-----\n"
    static let certPEM = "-----BEGIN CERTIFICATE-----\nMIIDITCCAgmgAwIBAgIIQ2xpZW50Q2VydGlmaWNhdGVGb3JLaW5kQWRtaW4wDQYJ\n-----END CERTIFICATE-----\n"
    static let keyPEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAkubeclientTestKeyNotARealKeyButShapedLikeOne0123\n-----END RSA PRIVATE KEY-----\n"

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// What `kind create cluster` writes: inline client certificate data.
    static var kind: String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: \(base64(caPEM))
            server: https://127.0.0.1:39417
          name: kind-kind
        contexts:
        - context:
            cluster: kind-kind
            user: kind-kind
          name: kind-kind
        current-context: kind-kind
        kind: Config
        preferences: {}
        users:
        - name: kind-kind
          user:
            client-certificate-data: \(base64(certPEM))
            client-key-data: \(base64(keyPEM))
        """
    }

    /// What minikube writes, with the certificate paths made relative to the kubeconfig.
    static let minikube = """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority: .minikube/ca.crt
            extensions:
            - extension:
                last-update: Fri, 27 Nov 2026 10:00:00 UTC
                provider: minikube.sigs.k8s.io
                version: v1.34.0
              name: cluster_info
            server: https://192.168.49.2:8443
          name: minikube
        contexts:
        - context:
            cluster: minikube
            extensions:
            - extension:
                last-update: Fri, 27 Nov 2026 10:00:00 UTC
                provider: minikube.sigs.k8s.io
                version: v1.34.0
              name: context_info
            namespace: default
            user: minikube
          name: minikube
        current-context: minikube
        kind: Config
        preferences: {}
        users:
        - name: minikube
          user:
            client-certificate: .minikube/profiles/minikube/client.crt
            client-key: .minikube/profiles/minikube/client.key
        """

    /// What `aws eks update-kubeconfig` writes.
    static func eks(command: String = "aws", env: [(String, String)] = [("AWS_PROFILE", "prod")]) -> String {
        let envText = env.map { "      - name: \($0.0)\n        value: \"\($0.1)\"" }.joined(separator: "\n")
        return """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: \(base64(caPEM))
            server: https://0123456789ABCDEF0123456789ABCDEF.gr7.us-west-2.eks.amazonaws.com
          name: arn:aws:eks:us-west-2:123456789012:cluster/prod
        contexts:
        - context:
            cluster: arn:aws:eks:us-west-2:123456789012:cluster/prod
            user: arn:aws:eks:us-west-2:123456789012:cluster/prod
          name: arn:aws:eks:us-west-2:123456789012:cluster/prod
        current-context: arn:aws:eks:us-west-2:123456789012:cluster/prod
        kind: Config
        preferences: {}
        users:
        - name: arn:aws:eks:us-west-2:123456789012:cluster/prod
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              args:
              - --region
              - us-west-2
              - eks
              - get-token
              - --cluster-name
              - prod
              - --output
              - json
              command: \(command)
              env:
        \(envText)
              interactiveMode: IfAvailable
              provideClusterInfo: false
        """
    }

    /// What `gcloud container clusters get-credentials` writes (with the v1 ExecCredential API).
    static func gke(command: String = "gke-gcloud-auth-plugin") -> String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: \(base64(caPEM))
            server: https://34.123.45.67
          name: gke_my-project_us-central1_prod
        contexts:
        - context:
            cluster: gke_my-project_us-central1_prod
            user: gke_my-project_us-central1_prod
          name: gke_my-project_us-central1_prod
        current-context: gke_my-project_us-central1_prod
        kind: Config
        preferences: {}
        users:
        - name: gke_my-project_us-central1_prod
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: \(command)
              installHint: Install gke-gcloud-auth-plugin for use with kubectl by following
                https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin
              interactiveMode: IfAvailable
              provideClusterInfo: true
        """
    }

    /// A kubeconfig whose user runs `./plugin.sh` (relative to the kubeconfig) with the
    /// given ExecCredential version, mode and expiry.
    static func pluginUser(dir: String, apiVersion: String, mode: String = "token", expiry: String = "",
                           command: String = "./plugin.sh", provideClusterInfo: Bool = false) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: \(base64(caPEM))
            tls-server-name: kubernetes.default
        contexts:
        - name: test
          context: {cluster: test, user: plugin-user, namespace: team-a}
        current-context: test
        users:
        - name: plugin-user
          user:
            exec:
              apiVersion: \(apiVersion)
              command: \(command)
              args: [eks, get-token, --cluster-name, prod]
              env:
              - {name: PLUGIN_DIR, value: "\(dir)"}
              - {name: PLUGIN_API, value: "\(apiVersion)"}
              - {name: PLUGIN_MODE, value: "\(mode)"}
              - {name: PLUGIN_EXPIRY, value: "\(expiry)"}
              - {name: AWS_PROFILE, value: "staging"}
              interactiveMode: IfAvailable
              provideClusterInfo: \(provideClusterInfo)
              installHint: "Install the test plugin."
        """
    }

    /// A test credential plugin. Counts its runs in `$PLUGIN_DIR/count`, records its
    /// KUBERNETES_EXEC_INFO, arguments and AWS_PROFILE, and prints a token (`token-<run>`,
    /// expiring at `$PLUGIN_EXPIRY`), a client certificate (`PLUGIN_MODE=cert`), or fails.
    static let plugin = #"""
        #!/bin/sh
        dir="$PLUGIN_DIR"
        count=$(cat "$dir/count" 2>/dev/null || echo 0)
        count=$((count + 1))
        echo "$count" > "$dir/count"
        printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info.json"
        printf '%s\n' "$@" > "$dir/args"
        printf '%s' "$AWS_PROFILE" > "$dir/profile"
        case "$PLUGIN_MODE" in
          fail)
            echo "   error: could not get token: AccessDenied   " >&2
            exit 3 ;;
          cert)
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"clientCertificateData":"-----BEGIN CERTIFICATE-----\\nCERT%s\\n-----END CERTIFICATE-----\\n","clientKeyData":"-----BEGIN PRIVATE KEY-----\\nKEY\\n-----END PRIVATE KEY-----\\n"}}' "$PLUGIN_API" "$count" ;;
          *)
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"token-%s","expirationTimestamp":"%s"}}' "$PLUGIN_API" "$count" "$PLUGIN_EXPIRY" ;;
        esac
        """#
}
