import CKubeABI
import KubeClient

/// Runs the body of a thunk: success clears this thread's error record and returns KC_OK;
/// any thrown error is recorded (see `ErrorDescription`) and its status returned.
/// Never lets a Swift error cross into C.
@inline(__always)
func cabiCall(_ body: () throws -> Void) -> kc_status {
    do {
        try body()
        ErrorRecord.clear()
        return KC_OK
    } catch {
        return ErrorRecord.set(ErrorDescription(error))
    }
}

/// Checks that an out-parameter is not NULL and clears it, so a failing call leaves NULL.
@inline(__always)
func requireOut<T>(_ out: UnsafeMutablePointer<T?>?, _ name: String = "out")
    throws(CABIError) -> UnsafeMutablePointer<T?> {
    guard let out else { throw .invalidArgument("\(name) is NULL") }
    out.pointee = nil
    return out
}
