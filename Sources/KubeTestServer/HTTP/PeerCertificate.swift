import NIOCore
import NIOSSL

/// The user a verified client certificate names (its common name).
enum PeerCertificate {
    static func user(_ pipeline: ChannelPipeline, tls: Bool) -> String? {
        guard tls, let cert = try? pipeline.syncOperations.nioSSL_peerCertificate(), let der = try? cert.toDERBytes() else {
            return nil
        }
        return CertificateAuthority.commonName(derBytes: der)
    }
}
