// Shared by every fuzz target (compiled into each one; see scripts/fuzz.sh).

#if canImport(Glibc)
import Glibc
#endif

/// Stops the run with a message: libFuzzer records the input that caused it as a crash.
/// Used only for broken invariants (an oracle mismatch), never for inputs a parser rejects.
func fuzzFailure(_ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line) -> Never {
    let text = "fuzz invariant broken at \(file):\(line): \(message())\n"
    fputs(text, stderr)
    abort()
}

/// The fuzz input as bytes (a copy: targets may keep it beyond the call).
func fuzzBytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
    Array(UnsafeRawBufferPointer(start: start, count: count))
}

/// Splits the input at its first NUL byte: two documents for the targets that need them
/// (a patch and its target, a selector and a label set). No NUL: all of it is the first part.
func fuzzSplit(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
    guard let index = bytes.firstIndex(of: 0) else { return (bytes, []) }
    return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
}

/// A short, printable excerpt of an input for failure messages.
func fuzzExcerpt(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription
}
