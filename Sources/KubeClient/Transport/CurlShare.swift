import CCurl
import Glibc

/// A libcurl share handle holding the DNS cache and TLS session cache of one client.
///
/// The connection cache is deliberately NOT shared here: libcurl documents that sharing
/// connections between concurrently running threads is unsupported. Connections are kept
/// alive in the pooled easy handles instead (see `CurlHandlePool`).
///
/// `@unchecked Sendable`: `handle` is written once in `init` and freed in `deinit`; every
/// concurrent use goes through libcurl, which calls our lock/unlock functions, one pthread
/// mutex per `curl_lock_data` kind, as the share API requires.
final class CurlShare: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer
    private let locks: UnsafeMutablePointer<pthread_mutex_t>
    private static let lockCount = Int(CURL_LOCK_DATA_LAST.rawValue) + 1

    init() throws(KubeError) {
        try ensureCurlInitialized()
        guard let share = curl_share_init() else {
            throw .transport(TransportError(kind: .other, message: "curl_share_init failed"))
        }
        handle = share
        locks = .allocate(capacity: Self.lockCount)
        for index in 0..<Self.lockCount {
            pthread_mutex_init(locks + index, nil)
        }
        _ = kc_curl_share_setopt_userdata(share, UnsafeMutableRawPointer(locks))
        _ = kc_curl_share_setopt_lockfn(share) { _, data, _, user in
            guard let user else { return }
            pthread_mutex_lock(user.assumingMemoryBound(to: pthread_mutex_t.self) + Int(data.rawValue))
        }
        _ = kc_curl_share_setopt_unlockfn(share) { _, data, user in
            guard let user else { return }
            pthread_mutex_unlock(user.assumingMemoryBound(to: pthread_mutex_t.self) + Int(data.rawValue))
        }
        _ = kc_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        _ = kc_curl_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
    }

    deinit {
        // All easy handles using the share are cleaned up by the pool before the share
        // (the pool holds a strong reference to it), so no lock can be held here.
        curl_share_cleanup(handle)
        for index in 0..<Self.lockCount {
            pthread_mutex_destroy(locks + index)
        }
        locks.deallocate()
    }
}
