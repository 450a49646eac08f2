import Glibc

/// Splits a watch response body into lines as chunks arrive, without copying complete lines
/// that sit inside one chunk: only a line spanning chunks is assembled in `pending`.
///
/// Kubernetes writes one JSON event per line (`\n`-terminated). Blank lines are skipped.
struct WatchLineSplitter {
    private var pending: [UInt8] = []
    /// Longest line (event) accepted; a longer one fails the watch rather than growing
    /// `pending` without bound (a server that never sends a newline).
    let maxLineBytes: Int

    init(maxLineBytes: Int = ResponseLimits().maxWatchEventBytes) {
        self.maxLineBytes = maxLineBytes
    }

    private func checkPending(adding count: Int) throws(KubeError) {
        if count > maxLineBytes - pending.count {
            throw .transport(TransportError(
                kind: .protocol, message: "watch event larger than \(maxLineBytes) bytes (ResponseLimits.maxWatchEventBytes)"))
        }
    }

    /// Feeds one chunk; calls `line` for each complete line (borrowed bytes, valid during
    /// the call). Returns false as soon as `line` returns false.
    mutating func feed(_ chunk: UnsafeRawBufferPointer,
                       _ line: (UnsafeRawBufferPointer) throws(KubeError) -> Bool) throws(KubeError) -> Bool {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return true }
        var start = 0
        while start < chunk.count {
            guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
                try checkPending(adding: chunk.count - start)
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: chunk.count - start))
                return true
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            let piece = UnsafeRawBufferPointer(start: base + start, count: end - start)
            start = end + 1
            if pending.isEmpty {
                if Self.isBlank(piece) { continue }
                if try !line(piece) { return false }
            } else {
                try checkPending(adding: piece.count)
                pending.append(contentsOf: piece)
                let keepGoing = try Self.withBytes(pending) { (assembled) throws(KubeError) -> Bool in
                    Self.isBlank(assembled) ? true : try line(assembled)
                }
                pending.removeAll(keepingCapacity: pending.capacity <= 1 << 20)
                if !keepGoing { return false }
            }
        }
        return true
    }

    /// Delivers a final line that had no terminating newline (stream closed mid-line).
    mutating func finish(_ line: (UnsafeRawBufferPointer) throws(KubeError) -> Bool) throws(KubeError) -> Bool {
        guard !pending.isEmpty else { return true }
        defer { pending.removeAll() }
        return try Self.withBytes(pending) { (assembled) throws(KubeError) -> Bool in
            Self.isBlank(assembled) ? true : try line(assembled)
        }
    }

    /// Bytes held for an incomplete line.
    var pendingCount: Int { pending.count }

    /// `withUnsafeBytes` keeping the typed error (the stdlib version rethrows `any Error`).
    static func withBytes(_ bytes: [UInt8],
                          _ body: (UnsafeRawBufferPointer) throws(KubeError) -> Bool) throws(KubeError) -> Bool {
        let result: Result<Bool, KubeError> = bytes.withUnsafeBytes { raw in
            do throws(KubeError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 0x20 && byte != 0x0D && byte != 0x09 { return false }
        return true
    }
}
