/// Makes text from an untrusted source (a kubeconfig, an exec plugin) safe to show in an error
/// message or a log line: terminal control sequences could otherwise rewrite the user's screen
/// or forge output. Each control character other than newline and tab becomes `U+XXXX`
/// (client-go does the same for ESC in an exec plugin's install hint).
enum TerminalSafeText {
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }
}
