#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of the file at `path`, or nil when it cannot be opened: the one way the Swift
/// benchmark programs (KubeBench, ProtobufBench, typed-decode) read their input files.
public func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        out.append(contentsOf: buffer[0..<count])
    }
    return out
}
