import CKubeABI

@_cdecl("kc_log_set_handler")
public func kc_log_set_handler(_ callback: kc_log_cb?, _ minimumLevel: kc_log_level,
                               _ userData: UnsafeMutableRawPointer?) -> kc_status {
    guard let minimum = LogBridge.level(minimumLevel) else {
        return ErrorRecord.set(ErrorDescription(status: KC_ERR_INVALID_ARGUMENT, httpCode: 0, reason: "",
                                                message: "minimum_level \(minimumLevel.rawValue) is not a kc_log_level"))
    }
    LogBridge.set(callback: callback, minimum: minimum, userData: userData)
    ErrorRecord.clear()
    return KC_OK
}
