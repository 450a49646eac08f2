import KubeCore

/// The `metav1.Status` written on the error channel when a command ends, byte for byte as
/// kube-apiserver sends it (Go field order; no kind or apiVersion, as the type meta is empty).
///
/// A non-zero exit carries the code in `details.causes[reason=ExitCode].message`; the message
/// differs by protocol because different components write it: v5 is answered by kube-apiserver's
/// stream translator (which re-wraps the kubelet's error), v4 is proxied to the kubelet and
/// carries containerd's error text.
enum ExecStatus {
    static func success() -> [UInt8] {
        Array(#"{"metadata":{},"status":"Success"}"#.utf8)
    }

    static func exitCode(_ code: Int32, command: [String], protocol proto: ChannelProtocol) -> [UInt8] {
        let inner: String
        switch proto {
        case .v5: inner = "command terminated with exit code \(code)"
        case .v4: inner = "error executing command [\(command.joined(separator: " "))], exit code \(code)"
        }
        let message = "command terminated with non-zero exit code: " + inner
        return Array(#"{"metadata":{},"status":"Failure","message":"#.utf8) + quoted(message)
            + Array(#","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"\#(code)"}]}}"#.utf8)
    }

    /// `apierrors.NewInternalError`: what a command that cannot start (or a failing handler) gets.
    static func internalError(_ text: String) -> [UInt8] {
        Array(#"{"metadata":{},"status":"Failure","message":"#.utf8) + quoted("Internal error occurred: " + text)
            + Array(#","reason":"InternalError","details":{"causes":[{"message":"#.utf8) + quoted(text)
            + Array(#"}]},"code":500}"#.utf8)
    }

    /// The status for a finished command: exit codes outside 0...255 wrap as a shell's do.
    static func forExit(_ code: Int32, command: [String], protocol proto: ChannelProtocol) -> [UInt8] {
        let wrapped = Int32(UInt8(truncatingIfNeeded: code))
        return wrapped == 0 ? success() : exitCode(wrapped, command: command, protocol: proto)
    }

    private static func quoted(_ s: String) -> [UInt8] {
        JSON.string(s).serializedBytes()
    }
}
