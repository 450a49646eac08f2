import Glibc
import KubeCore

/// Between the two threads of a forwarded connection's pod → local direction: the receiver
/// (`PortForwardDownstream`: TLS, frames) fills a buffer and hands it over with the iovecs of
/// its data bytes; the sender writes them to the local socket and gives the buffer back.
///
/// Why two threads: on 2 shared cores the decrypting receiver and the sender (whose
/// loopback send also runs the local reader's TCP receive path) each take about half of the
/// pump's time; overlapped, neither waits for the other, and a connection keeps a fair share
/// of the CPU next to busy processes. Buffers move, bytes are not copied; at most
/// `maxBuffers` exist, so a slow local reader holds the receiver back (and through TCP, the pod).
///
/// `@unchecked Sendable`: everything mutable is guarded by `lock`; a buffer belongs to one
/// thread at a time (the receiver until `handOver`, the sender until `recycle`).
final class PortForwardHandoff: @unchecked Sendable {
    struct Batch {
        var buffer: UnsafeMutableRawBufferPointer
        var iovecs: [iovec]
    }

    static let maxBuffers = 3

    let bufferSize: Int
    private let lock = ConditionLock()
    private var allocated: [UnsafeMutableRawBufferPointer] = []
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var ready: [Batch] = []
    private var finished = false
    private var senderFailed = false

    init(bufferSize: Int) {
        self.bufferSize = bufferSize
    }

    deinit {
        for buffer in allocated { buffer.deallocate() }
    }

    // MARK: - Receiver

    /// The receiver's first buffer.
    func firstBuffer() -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        lock.withLock { allocated.append(buffer) }
        return buffer
    }

    /// A buffer to fill: a free one, a new one while fewer than `maxBuffers` exist, or the
    /// next one the sender gives back. Nil once the sender failed (the local side is gone).
    func takeBuffer() -> UnsafeMutableRawBufferPointer? {
        lock.withLock {
            while true {
                if senderFailed { return nil }
                if let buffer = free.popLast() { return buffer }
                if allocated.count < Self.maxBuffers {
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
                    allocated.append(buffer)
                    return buffer
                }
                lock.wait()
            }
        }
    }

    func handOver(_ batch: Batch) {
        lock.withLock {
            ready.append(batch)
            lock.broadcast()
        }
    }

    /// No more batches: the sender ends once it wrote the queued ones.
    func finish() {
        lock.withLock {
            finished = true
            lock.broadcast()
        }
    }

    /// True when the sender stopped because the local socket failed.
    var localFailed: Bool { lock.withLock { senderFailed } }

    // MARK: - Sender

    /// Writes every batch to `fd` until `finish()`; on a failed write marks it and calls
    /// `wake` (which must unblock the receiver's read), then returns.
    func runSender(fd: Int32, wake: () -> Void) {
        while true {
            let next = lock.withLock { () -> Batch? in
                while ready.isEmpty && !finished { lock.wait() }
                return ready.isEmpty ? nil : ready.removeFirst()
            }
            guard let batch = next else { return }
            let sent = Self.sendAll(fd: fd, batch.iovecs)
            lock.withLock {
                free.append(batch.buffer)
                if !sent { senderFailed = true }
                lock.broadcast()
            }
            if !sent {
                wake()
                return
            }
        }
    }

    /// Sends every stretch (IOV_MAX at a time, partial writes resumed); false when the
    /// socket is gone.
    static func sendAll(fd: Int32, _ batch: [iovec]) -> Bool {
        var iovecs = batch
        var first = 0
        while first < iovecs.count {
            let sent = iovecs.withUnsafeMutableBufferPointer { vectors -> Int in
                var message = msghdr()
                message.msg_iov = vectors.baseAddress.map { $0 + first }
                message.msg_iovlen = min(vectors.count - first, 1024)
                return sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return false }
            var left = sent
            while left > 0 && first < iovecs.count {
                if iovecs[first].iov_len <= left {
                    left -= iovecs[first].iov_len
                    first += 1
                } else {
                    iovecs[first].iov_base = iovecs[first].iov_base.map { $0 + left }
                    iovecs[first].iov_len -= left
                    left = 0
                }
            }
        }
        return true
    }
}
