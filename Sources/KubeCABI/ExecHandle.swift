import CKubeABI
import KubeClient
import KubeCore

/// What a `kc_exec *` points at: one exec or attach session and the thread that pulls its
/// output into the caller's callbacks, then reports the exit code through `on_done`.
///
/// Lifecycle: running → finished (the command ended, the session failed, or it was stopped;
/// `on_done` called once). `stop()` closes the session (its socket is shut down) and joins
/// the thread; from the thread itself (a callback) it only requests the end, and the table
/// keeps the handle *closing* until `isFinished` (as `WatchHandle`).
///
/// `@unchecked Sendable`: `finished`, `outcome`, `exitCode`, `stopped` and `published` are
/// guarded by `lock`; `thread` is written once in `start` before `published` is set under the
/// lock, and only read afterwards; `userData` is the caller's pointer, only passed back to its
/// callbacks.
final class ExecHandle: @unchecked Sendable {
    static let table = HandleTable<ExecHandle>(typeName: "kc_exec", isQuiescent: { $0.isFinished })

    let session: ExecSession
    private let onStdout: kc_stream_data_cb?
    private let onStderr: kc_stream_data_cb?
    private let onDone: kc_exec_done_cb?
    private let userData: UnsafeMutableRawPointer?
    private let lock = ConditionLock()
    private var stopped = false
    private var finished = false
    private var outcome = ErrorDescription.ok
    private var exitCode: Int32 = -1
    private var published = false
    private var thread: KubeThread?

    init(session: ExecSession, handlers: kc_exec_handlers, userData: UnsafeMutableRawPointer?) {
        self.session = session
        onStdout = handlers.on_stdout
        onStderr = handlers.on_stderr
        onDone = handlers.on_done
        self.userData = userData
    }

    /// Spawns the session's thread, which holds a strong reference until it ends.
    func start() throws(CABIError) {
        do {
            thread = try KubeThread.spawn(name: "kc-exec") { [self] in self.run() }
        } catch {
            throw .internalError("could not start the exec thread: \(error)")
        }
        lock.withLock {
            published = true
            lock.broadcast()
        }
    }

    var isSessionThread: Bool { thread?.isCurrent ?? false }

    var isFinished: Bool { lock.withLock { finished } }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// Ends the session (on_done then gets KC_ERR_CANCELLED) and waits for the thread unless
    /// called from it. Idempotent.
    func stop() {
        lock.withLock { stopped = true }
        session.close()
        thread?.join()
    }

    /// Waits until finished or `timeoutMs` passed (< 0: no limit); nil on timeout.
    func wait(timeoutMs: Int64) -> (ErrorDescription, Int32)? {
        return lock.withLock { () -> (ErrorDescription, Int32)? in
            guard lock.wait(until: { finished }, timeoutMs: timeoutMs) else { return nil }
            return (outcome, exitCode)
        }
    }

    private func run() {
        lock.withLock {
            while !published { lock.wait() }
        }
        var result = ErrorDescription.ok
        var code: Int32 = -1
        do throws(KubeError) {
            while let event = try session.next() {
                switch event {
                case .stdout(let bytes): deliver(bytes, to: onStdout)
                case .stderr(let bytes): deliver(bytes, to: onStderr)
                }
            }
            code = try session.wait()
        } catch {
            result = isStopped && error.isCancelled
                ? ErrorDescription(status: KC_ERR_CANCELLED, httpCode: 0, reason: "", message: "the session was stopped")
                : ErrorDescription(error)
        }
        if let onDone {
            var record = TemporaryErrorRecord(result)
            record.withPointer { onDone(result.status, result.status == KC_OK ? code : -1, $0, userData) }
        }
        lock.withLock {
            finished = true
            outcome = result
            exitCode = result.status == KC_OK ? code : -1
            lock.broadcast()
        }
    }

    private func deliver(_ bytes: [UInt8], to callback: kc_stream_data_cb?) {
        guard let callback, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { raw in
            if let base = raw.baseAddress { callback(base.assumingMemoryBound(to: CChar.self), raw.count, userData) }
        }
    }
}
