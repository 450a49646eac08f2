import KubeCore

/// The seconds-as-`Double` spelling of `popAll`, kept for source compatibility.
extension DeltaFIFO {
    @available(*, deprecated, renamed: "popAll(timeout:)")
    public func popAll(timeoutSeconds: Double?) -> Batch? {
        popAll(timeout: timeoutSeconds.map { .seconds(clamping: $0) })
    }
}
