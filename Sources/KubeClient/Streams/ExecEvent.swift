/// One chunk of a command's output, in arrival order. Chunks are not aligned to lines.
public enum ExecEvent: Sendable, Equatable {
    case stdout([UInt8])
    case stderr([UInt8])
}
