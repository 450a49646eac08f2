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

/// Runs the body of a thunk that returns a value instead of a kc_status (an accessor such as
/// kc_workqueue_len): records the outcome like `cabiCall`, and returns `fallback` on failure.
@inline(__always)
func cabiValue<T>(_ fallback: T, _ body: () throws -> T) -> T {
    do {
        let value = try body()
        ErrorRecord.clear()
        return value
    } catch {
        ErrorRecord.set(ErrorDescription(error))
        return fallback
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
