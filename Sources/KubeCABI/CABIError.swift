import CKubeABI
import KubeClient
import KubeCore

/// A failure detected by the C ABI layer itself (bad arguments, dead handles, no thread),
/// before or around a call into the Swift client.
struct CABIError: Error {
    var status: kc_status
    var message: String

    static func invalidArgument(_ message: String) -> CABIError { CABIError(status: KC_ERR_INVALID_ARGUMENT, message: message) }
    static func closed(_ message: String) -> CABIError { CABIError(status: KC_ERR_CLOSED, message: message) }
    static func internalError(_ message: String) -> CABIError { CABIError(status: KC_ERR_INTERNAL, message: message) }
}

/// What the C caller sees of any error: the fields of `kc_error`.
struct ErrorDescription {
    var status: kc_status
    var httpCode: Int32
    var reason: String
    var message: String
    /// The server's Status as JSON for API errors, else "".
    var statusJSON: String = ""

    static let ok = ErrorDescription(status: KC_OK, httpCode: 0, reason: "", message: "")

    init(status: kc_status, httpCode: Int32, reason: String, message: String, statusJSON: String = "") {
        self.status = status
        self.httpCode = httpCode
        self.reason = reason
        self.message = message
        self.statusJSON = statusJSON
    }

    /// Maps any error thrown below a thunk to its status code and one-line message.
    init(_ error: any Error) {
        if let error = error as? CABIError {
            self.init(status: error.status, httpCode: 0, reason: "", message: error.message)
        } else if let error = error as? KubeError {
            self.init(error)
        } else {
            self.init(status: KC_ERR_INTERNAL, httpCode: 0, reason: "", message: "\(error)")
        }
    }

    init(_ error: KubeError) {
        switch error {
        case .api(let status):
            let code: kc_status
            if error.isNotFound { code = KC_ERR_NOT_FOUND }
            else if error.isAlreadyExists { code = KC_ERR_ALREADY_EXISTS }
            else if error.isConflict { code = KC_ERR_CONFLICT }
            else if error.isGone { code = KC_ERR_GONE }
            else if error.isInvalid { code = KC_ERR_INVALID }
            else if error.isUnauthorized { code = KC_ERR_UNAUTHORIZED }
            else if error.isForbidden { code = KC_ERR_FORBIDDEN }
            else if error.isTooManyRequests { code = KC_ERR_TOO_MANY_REQUESTS }
            else if error.isTimeout { code = KC_ERR_TIMEOUT }
            else { code = KC_ERR_API }
            let message = status.message.isEmpty ? "HTTP \(status.code) \(status.reason.rawValue)" : status.message
            self.init(status: code, httpCode: Int32(clamping: status.code), reason: status.reason.rawValue,
                      message: message, statusJSON: status.json().serialized())
        case .transport(let transport):
            let code: kc_status
            switch transport.kind {
            case .timeout: code = KC_ERR_TIMEOUT
            case .cancelled: code = KC_ERR_CANCELLED
            default: code = KC_ERR_TRANSPORT
            }
            self.init(status: code, httpCode: 0, reason: "", message: transport.description)
        case .config(let message):
            self.init(status: KC_ERR_CONFIG, httpCode: 0, reason: "", message: message)
        case .invalidArgument(let message):
            self.init(status: KC_ERR_INVALID_ARGUMENT, httpCode: 0, reason: "", message: message)
        case .decoding(let message):
            self.init(status: KC_ERR_DECODE, httpCode: 0, reason: "", message: message)
        case .closed(let message):
            self.init(status: KC_ERR_CLOSED, httpCode: 0, reason: "", message: message)
        case .system(let message):
            self.init(status: KC_ERR_INTERNAL, httpCode: 0, reason: "", message: message)
        }
    }
}
