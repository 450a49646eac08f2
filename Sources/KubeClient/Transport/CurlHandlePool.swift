import CCurl
import KubeCore

/// One libcurl easy handle.
///
/// `@unchecked Sendable`: a handle is used by exactly one thread at a time — it is either
/// idle inside `CurlHandlePool` (behind its mutex) or checked out by one transfer.
final class CurlEasy: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    /// Keeps the share alive for as long as this handle may use it.
    private let share: CurlShare
    /// What curl's callbacks point at for a handle that is never pooled (a WebSocket's
    /// `TransferContext`): released only after `curl_easy_cleanup`, which may call the
    /// close-socket callback, whatever order the owners let go in.
    var callbackTarget: AnyObject?

    init(share: CurlShare) throws(KubeError) {
        guard let easy = curl_easy_init() else {
            throw .transport(TransportError(kind: .other, message: "curl_easy_init failed"))
        }
        handle = easy
        self.share = share
    }

    /// Clears per-request options but keeps live connections, DNS and TLS-session caches.
    func reset() {
        curl_easy_reset(handle)
    }

    deinit {
        curl_easy_cleanup(handle)
    }
}

/// The connection pool of one client: idle easy handles, each keeping its kept-alive
/// connections to the API server. A request checks a handle out, runs on it, and puts it
/// back; at most `maxIdle` handles are kept (extra ones are closed).
final class CurlHandlePool: Sendable {
    let share: CurlShare
    private let idle = Locked<[CurlEasy]>([])
    private let maxIdle: Int

    init(maxIdle: Int = 16) throws(KubeError) {
        share = try CurlShare()
        self.maxIdle = maxIdle
    }

    /// The share handle every easy handle of this pool must be attached to.
    var shareHandle: UnsafeMutableRawPointer { share.handle }

    func checkOut() throws(KubeError) -> CurlEasy {
        if let easy = idle.withLock({ $0.popLast() }) {
            easy.reset()
            return easy
        }
        return try CurlEasy(share: share)
    }

    func checkIn(_ easy: CurlEasy) {
        // Dropping the handle outside the lock: curl_easy_cleanup may close sockets.
        let dropped: CurlEasy? = idle.withLock { handles in
            if handles.count < maxIdle {
                handles.append(easy)
                return nil
            }
            return easy
        }
        _ = dropped
    }
}
