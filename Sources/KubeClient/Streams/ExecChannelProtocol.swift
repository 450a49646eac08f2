import KubeCore

/// The remote-command channel protocols of kubelet (`k8s.io/apimachinery/pkg/util/remotecommand`)
/// over WebSocket: every message starts with its channel byte.
///
/// - 0 stdin, 1 stdout, 2 stderr (client ← / → server as named);
/// - 3 error: one JSON `metav1.Status` (v4 and later): Success is exit 0; Failure with reason
///   NonZeroExitCode carries the exit code in a cause of reason ExitCode; any other Failure is
///   an error;
/// - 4 resize: `{"Width":W,"Height":H}` (client → server);
/// - 255 close (v5 only): `[255, channel]` closes that stream, so the command reads EOF on stdin.
enum ExecChannelProtocol {
    static let v5 = "v5.channel.k8s.io"
    static let v4 = "v4.channel.k8s.io"
    /// Offered in this order: the server picks the first it speaks (kubectl ≥ 1.30 does the same).
    static let offered = [v5, v4]

    static let stdin: UInt8 = 0
    static let stdout: UInt8 = 1
    static let stderr: UInt8 = 2
    static let error: UInt8 = 3
    static let resize: UInt8 = 4
    static let close: UInt8 = 255

    /// Sorts one server message (channel and payload) for `ChannelStream`.
    static func interpret(channel: UInt8, payload: ArraySlice<UInt8>) -> ChannelStream.Verdict {
        switch channel {
        case stdout, stderr:
            return payload.isEmpty ? .ignore : .deliver(channel: channel, bytes: Array(payload))
        case error:
            return .outcome(exitStatus(Array(payload)))
        default:
            return .ignore  // unknown channels are ignored, as client-go does
        }
    }

    /// The exit code (or the failure) of a status-channel message.
    static func exitStatus(_ payload: [UInt8]) -> Result<Int32, KubeError> {
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .success(0)  // an empty status: client-go reads it as success
        }
        guard let json = try? JSON.parse(bytes: payload), case .object = json else {
            let text = String(decoding: payload.prefix(512), as: UTF8.self)
            return .failure(.decoding("the exec status channel carried something that is not a Status: \(text)"))
        }
        let state = json["status"]?.stringValue ?? ""
        if state == "Success" { return .success(0) }
        let reason = json["reason"]?.stringValue ?? ""
        let message = json["message"]?.stringValue ?? ""
        if reason == "NonZeroExitCode" {
            for cause in json["details"]?["causes"]?.arrayValue ?? [] where cause["reason"]?.stringValue == "ExitCode" {
                if let text = cause["message"]?.stringValue, let code = Int32(text.trimmingSpaces) {
                    return .success(code)
                }
            }
            return .failure(.decoding("a NonZeroExitCode status without a readable ExitCode cause: \(message)"))
        }
        var status = Status(json: json) ?? Status(code: 0, reason: StatusReason(reason), message: message)
        if status.code == 0 { status.code = Int(json["code"]?.intValue ?? 500) }
        if status.code == 0 { status.code = 500 }
        if status.reason.rawValue.isEmpty { status.reason = StatusReason(reason.isEmpty ? "InternalError" : reason) }
        if status.message.isEmpty { status.message = message.isEmpty ? "the command failed" : message }
        if status.details == nil, let details = json["details"], case .object = details {
            status.details = Status(json: .object(["kind": "Status", "details": details]))?.details
        }
        return .failure(.api(status))
    }

    /// The resize message body: `{"Width":W,"Height":H}`.
    static func resizeMessage(width: UInt16, height: UInt16) -> [UInt8] {
        [resize] + Array("{\"Width\":\(width),\"Height\":\(height)}".utf8)
    }
}
