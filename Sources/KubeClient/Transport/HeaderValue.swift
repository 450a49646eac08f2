/// Checks text that becomes an HTTP header value.
///
/// A value holding CR or LF would end its header line and let whoever wrote it (a kubeconfig,
/// an exec plugin, a caller) add headers of their own; NUL and the other control characters
/// are refused by HTTP servers anyway. Horizontal tab is allowed (RFC 9110 field-value).
enum HeaderValue {
    static func problem(_ value: String) -> String? {
        for byte in value.utf8 where (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            return byte == 0x0D || byte == 0x0A ? "contains a line break" : "contains a control character"
        }
        return nil
    }

    /// Throws `.invalidArgument` naming `what` (never the value when it is `secret`).
    static func check(_ value: String, what: String, secret: Bool = false) throws(KubeError) {
        guard let problem = problem(value) else { return }
        throw .invalidArgument("\(what) \(problem)\(secret ? "" : ", which is not allowed in an HTTP header")")
    }
}
