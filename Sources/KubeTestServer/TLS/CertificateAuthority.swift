import Crypto
import Foundation
import SwiftASN1
import X509

/// The CA, server certificate and client certificate the server generates at start.
///
/// P-256 ECDSA keys: accepted by Go's crypto/tls (kubectl), OpenSSL (libcurl) and BoringSSL (NIO).
/// Everything lives in memory; the PEMs are handed to the kubeconfig writer and to Swift callers.
struct CertificateAuthority: Sendable {
    let caCertificatePEM: String
    let serverCertificatePEM: String
    let serverKeyPEM: String
    let clientCertificatePEM: String
    let clientKeyPEM: String

    /// Generates a fresh CA valid for ten years, a server certificate for `hosts` and a
    /// client certificate for `clientUser` in group `system:masters`.
    init(hosts: [String], clientUser: String) throws {
        let now = Date()
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(10 * 365 * 24 * 3600)

        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            OrganizationName("kubeclient")
            CommonName("kubeclient-testserver-ca")
        }
        let caCert = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(caKey.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: .init(caKey.publicKey))
            },
            issuerPrivateKey: .init(caKey)
        )

        var names: [GeneralName] = []
        for host in hosts {
            if let ip = Self.ipBytes(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(ip))))
            } else {
                names.append(.dnsName(host))
            }
        }
        let serverKey = P256.Signing.PrivateKey()
        let serverCert = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(serverKey.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: try DistinguishedName { CommonName("kube-apiserver") },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: .init(caKey)
        )

        let clientKey = P256.Signing.PrivateKey()
        let clientCert = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(clientKey.publicKey),
            notValidBefore: notBefore,
            notValidAfter: notAfter,
            issuer: caName,
            subject: try DistinguishedName {
                OrganizationName("system:masters")
                CommonName(clientUser)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                try ExtendedKeyUsage([.clientAuth])
            },
            issuerPrivateKey: .init(caKey)
        )

        caCertificatePEM = try caCert.serializeAsPEM().pemString + "\n"
        serverCertificatePEM = try serverCert.serializeAsPEM().pemString + "\n"
        serverKeyPEM = serverKey.pemRepresentation + "\n"
        clientCertificatePEM = try clientCert.serializeAsPEM().pemString + "\n"
        clientKeyPEM = clientKey.pemRepresentation + "\n"
    }

    /// The common name of a client certificate's subject (the Kubernetes user name).
    static func commonName(derBytes: [UInt8]) -> String? {
        guard let cert = try? Certificate(derEncoded: derBytes) else { return nil }
        for rdn in cert.subject {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }

    /// Network-order bytes of an IPv4 or IPv6 literal, nil for host names.
    static func ipBytes(_ host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
