import KubeCore

/// Checks the shape of PEM material before it reaches the TLS library, so that a bad CA,
/// certificate or key is reported when the client is built, naming the culprit, instead of
/// failing each request later with an OpenSSL message about the handshake.
///
/// It checks structure only (armour, base64, a DER SEQUENCE inside); whether a key matches
/// its certificate is still found out at the first handshake.
enum PEMCheck {
    /// A PEM block: its label (`CERTIFICATE`, `PRIVATE KEY`, ...) and decoded DER bytes.
    struct Block {
        var label: String
        var der: [UInt8]
    }

    /// The blocks of `bytes`, or a description of what is wrong.
    static func blocks(_ bytes: [UInt8]) -> Result<[Block], PEMProblem> {
        let text = String(decoding: bytes, as: UTF8.self)
        var blocks: [Block] = []
        var label: String?
        var body = ""
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = String(rawLine).trimmingWhitespace()
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                guard label == nil else { return .failure(PEMProblem("a BEGIN line inside another PEM block")) }
                label = String(line.dropFirst("-----BEGIN ".count).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), line.hasSuffix("-----") {
                let end = String(line.dropFirst("-----END ".count).dropLast(5))
                guard let open = label, open == end else { return .failure(PEMProblem("an END line without its BEGIN line")) }
                guard let der = Base64.decode(body), der.first == 0x30 else {
                    return .failure(PEMProblem("the \(open) block is not valid base64-encoded DER"))
                }
                blocks.append(Block(label: open, der: der))
                label = nil
            } else if label != nil {
                // Encrypted legacy keys carry headers ("Proc-Type: ...") before the body.
                if line.contains(":") { return .failure(PEMProblem("encrypted PEM keys are not supported")) }
                body += line
            }
        }
        if let open = label { return .failure(PEMProblem("the \(open) block has no END line")) }
        if blocks.isEmpty { return .failure(PEMProblem("no PEM block found")) }
        return .success(blocks)
    }

    /// nil when `bytes` holds at least one certificate and nothing else.
    static func certificatesProblem(_ bytes: [UInt8]) -> String? {
        switch blocks(bytes) {
        case .failure(let problem): return problem.message
        case .success(let blocks):
            if let other = blocks.first(where: { $0.label != "CERTIFICATE" && $0.label != "TRUSTED CERTIFICATE" }) {
                return "expected certificates, found a \(other.label) block"
            }
            return nil
        }
    }

    /// nil when `bytes` holds exactly one unencrypted private key (PKCS#8, RSA or EC).
    static func privateKeyProblem(_ bytes: [UInt8]) -> String? {
        switch blocks(bytes) {
        case .failure(let problem): return problem.message
        case .success(let blocks):
            let keys = blocks.filter { $0.label.hasSuffix("PRIVATE KEY") }
            guard let key = keys.first else { return "no PRIVATE KEY block found" }
            if keys.count > 1 { return "more than one private key" }
            if key.label == "ENCRYPTED PRIVATE KEY" { return "encrypted private keys are not supported" }
            return nil
        }
    }
}

/// What is wrong with PEM text (never includes the text: it may be a key).
struct PEMProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
