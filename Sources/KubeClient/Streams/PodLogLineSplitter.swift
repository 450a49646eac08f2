/// Cuts a byte stream into lines, whatever the chunk boundaries: a line (and a multi-byte
/// UTF-8 character) split across chunks is joined before it is decoded.
///
/// Lines are returned without their "\n" (and without a "\r" before it); a last line without
/// "\n" comes from `finish()`. Invalid UTF-8 is replaced with U+FFFD (logs are not validated).
struct PodLogLineSplitter: Sendable {
    private var pending: [UInt8] = []

    /// The lines completed by `chunk`.
    mutating func push<C: Collection<UInt8>>(_ chunk: C) -> [String] {
        var lines: [String] = []
        var start = chunk.startIndex
        var index = start
        while index != chunk.endIndex {
            if chunk[index] == 0x0A {
                pending.append(contentsOf: chunk[start..<index])
                lines.append(Self.decode(pending))
                pending.removeAll(keepingCapacity: true)
                start = chunk.index(after: index)
            }
            index = chunk.index(after: index)
        }
        pending.append(contentsOf: chunk[start..<chunk.endIndex])
        return lines
    }

    /// The last, unterminated line, if any; the splitter is empty afterwards.
    mutating func finish() -> String? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Self.decode(pending)
    }

    private static func decode(_ line: [UInt8]) -> String {
        if line.last == 0x0D { return String(decoding: line.dropLast(), as: UTF8.self) }
        return String(decoding: line, as: UTF8.self)
    }
}
