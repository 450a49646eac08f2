import CKubeABI
import KubeClient
import KubeCore

/// What a `kc_stream *` points at: a Swift byte stream (a pod log, a port-forward connection)
/// and the one pump thread that reads it, either into the caller's callbacks or into a
/// bounded buffer that `kc_stream_read` takes from, with a descriptor that polls readable
/// while that buffer holds bytes or the end.
///
/// Lifecycle: running → ended (the source ended, failed or was stopped) → finished (the pump
/// returned; `on_done` was called once in callback mode). `stop()` ends the source, wakes the
/// pump and joins it; called on the pump thread (from a callback) it only requests the end,
/// and the table keeps the handle *closing* until `isFinished` (as `WatchHandle`).
///
/// Invariants (fields below `lock`, guarded by it): `bytes[head...]` hold at most `capacity`
/// plus one chunk; in pull mode the pipe holds a byte exactly when bytes are waiting, the
/// source ended, or the stream was stopped; `failure` is handed to one `read`, then cleared.
///
/// `@unchecked Sendable`: mutable state guarded by `lock`; `thread` is written once in `start`
/// before `published` is set under the lock, and only read afterwards; `userData` is the
/// caller's pointer, only passed back to its callbacks.
final class StreamHandle: @unchecked Sendable {
    static let table = HandleTable<StreamHandle>(typeName: "kc_stream", isQuiescent: { $0.isFinished })

    enum Delivery {
        case pull(StreamSignalPipe)
        case callbacks(onData: kc_stream_data_cb, onDone: kc_stream_done_cb?)
    }

    let source: any StreamSource
    /// The caller's token (the options' kc_cancel): its cancellation is an end, like `stop()`.
    private let cancel: CancellationToken?
    private let delivery: Delivery
    private let userData: UnsafeMutableRawPointer?
    private let lock = ConditionLock()
    private var bytes: [UInt8] = []
    private var head = 0
    private var ended = false
    private var failure: KubeError?
    private var stopped = false
    private var finished = false
    private var outcome = ErrorDescription.ok
    private var published = false
    private var thread: KubeThread?
    /// Bytes buffered for `kc_stream_read` before the pump waits for the reader.
    static let capacity = 256 * 1024
    static let chunkSize = 64 * 1024

    init(source: any StreamSource, delivery: Delivery, userData: UnsafeMutableRawPointer?,
         cancel: CancellationToken? = nil) {
        self.source = source
        self.cancel = cancel
        self.delivery = delivery
        self.userData = userData
    }

    /// A pull-mode stream over `source`.
    static func pull(_ source: any StreamSource, cancel: CancellationToken?) throws(CABIError) -> StreamHandle {
        StreamHandle(source: source, delivery: .pull(try StreamSignalPipe()), userData: nil, cancel: cancel)
    }

    deinit {
        if case .pull(let pipe) = delivery { pipe.close() }
    }

    /// Spawns the pump thread, which holds a strong reference until it ends.
    func start() throws(CABIError) {
        do {
            thread = try KubeThread.spawn(name: "kc-stream") { [self] in self.run() }
        } catch {
            throw .internalError("could not start the stream thread: \(error)")
        }
        lock.withLock {
            published = true
            lock.broadcast()
        }
    }

    var isPull: Bool {
        if case .pull = delivery { return true }
        return false
    }

    var isPumpThread: Bool { thread?.isCurrent ?? false }

    var isFinished: Bool { lock.withLock { finished } }

    var isStopped: Bool { lock.withLock { stopped } }

    /// The descriptor that polls readable while `read` has something; nil in callback mode.
    var fileDescriptor: Int32? {
        if case .pull(let pipe) = delivery { return pipe.readFD }
        return nil
    }

    /// Ends the stream and waits for the pump (unless called from it). Idempotent.
    func stop() {
        lock.withLock {
            stopped = true
            if case .pull(let pipe) = delivery { pipe.signal() }
            lock.broadcast()
        }
        source.stop()
        thread?.join()
    }

    /// Pull mode: copies up to `buffer.count` bytes; 0 at the end. Waits up to `timeoutMs`
    /// (< 0: no limit); KC_ERR_TIMEOUT when nothing arrived.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int64) throws -> Int {
        guard case .pull(let pipe) = delivery else {
            throw CABIError.invalidArgument("kc_stream_read is for streams opened without callbacks (kc_pod_logs_open, kc_port_forward_open)")
        }
        let deadline = timeoutMs < 0 ? nil : MonotonicClock.deadline(afterMilliseconds: timeoutMs)
        return try lock.withLock { () throws -> Int in
            while true {
                if stopped { return 0 }
                let available = bytes.count - head
                if available > 0 {
                    let count = min(available, buffer.count)
                    bytes.withUnsafeBytes { all in
                        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[head..<head + count]))
                    }
                    head += count
                    if head == bytes.count {
                        bytes.removeAll(keepingCapacity: true)
                        head = 0
                        if !ended { pipe.drain() }
                    }
                    lock.broadcast()
                    return count
                }
                if ended {
                    if let failure {
                        self.failure = nil
                        throw failure
                    }
                    return 0
                }
                if let deadline {
                    if MonotonicClock.nanoseconds() >= deadline {
                        throw CABIError(status: KC_ERR_TIMEOUT, message: "no bytes arrived within \(timeoutMs) ms (the stream goes on)")
                    }
                    lock.wait(deadlineNanos: deadline)
                } else {
                    lock.wait()
                }
            }
        }
    }

    /// Waits until finished or `timeoutMs` passed (< 0: no limit); nil on timeout.
    func wait(timeoutMs: Int64) -> ErrorDescription? {
        return lock.withLock { () -> ErrorDescription? in
            guard lock.wait(until: { finished }, timeoutMs: timeoutMs) else { return nil }
            return outcome
        }
    }

    // MARK: pump thread

    private func run() {
        lock.withLock {
            while !published { lock.wait() }
        }
        var ending: KubeError?
        do throws(KubeError) {
            while !isStopped {
                let chunk = try source.read(maxLength: Self.chunkSize)
                if chunk.isEmpty || !deliver(chunk) { break }
            }
        } catch {
            // The end asked for (stop, or the caller's token) is a normal end, not a failure.
            if !(error.isCancelled && (isStopped || cancel?.isCancelled == true)) { ending = error }
        }
        let result = ending.map { ErrorDescription($0) } ?? .ok
        switch delivery {
        case .callbacks(_, let onDone):
            if let onDone {
                var record = TemporaryErrorRecord(result)
                record.withPointer { onDone(result.status, $0, userData) }
            }
        case .pull(let pipe):
            lock.withLock {
                ended = true
                failure = ending
                pipe.signal()
                lock.broadcast()
            }
        }
        lock.withLock {
            finished = true
            outcome = result
            lock.broadcast()
        }
    }

    /// Hands one chunk on; false once stopped.
    private func deliver(_ chunk: [UInt8]) -> Bool {
        switch delivery {
        case .callbacks(let onData, _):
            chunk.withUnsafeBytes { raw in
                if let base = raw.baseAddress {
                    onData(base.assumingMemoryBound(to: CChar.self), raw.count, userData)
                }
            }
            return !isStopped
        case .pull(let pipe):
            return lock.withLock { () -> Bool in
                while bytes.count - head >= Self.capacity && !stopped { lock.wait() }
                if stopped { return false }
                if head > 0 {
                    bytes.removeFirst(head)
                    head = 0
                }
                let wasEmpty = bytes.isEmpty
                bytes.append(contentsOf: chunk)
                if wasEmpty { pipe.signal() }
                lock.broadcast()
                return true
            }
        }
    }
}

extension StreamHandle {
    /// Registers a stream handle and starts its pump; on failure the source is stopped.
    static func register(_ handle: StreamHandle) throws(CABIError) -> OpaquePointer {
        // Registered before the thread starts, so a callback may already stop or free it.
        let pointer = StreamHandle.table.register(handle)
        do {
            try handle.start()
        } catch {
            _ = StreamHandle.table.remove(pointer)
            handle.source.stop()
            throw error
        }
        return pointer
    }
}
