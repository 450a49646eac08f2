import CKubeABI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The thread-local `kc_error` that `kc_error_last()` returns.
///
/// Each thread owns one malloc'd `kc_error` whose `reason` and `message` are strdup'd; a
/// pthread key destructor frees them when the thread exits. The record is never shared
/// between threads, so it needs no lock.
enum ErrorRecord {
    /// Created once (Swift globals are initialised exactly once, thread-safely).
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key) { raw in
            guard let raw else { return }
            ErrorRecord.destroy(raw.assumingMemoryBound(to: kc_error.self))
        }
        return key
    }()

    /// This thread's record, created on first use. Nil only when malloc fails.
    static func current() -> UnsafeMutablePointer<kc_error>? {
        if let existing = pthread_getspecific(key) {
            return existing.assumingMemoryBound(to: kc_error.self)
        }
        guard let raw = malloc(MemoryLayout<kc_error>.stride) else { return nil }
        let record = raw.bindMemory(to: kc_error.self, capacity: 1)
        record.initialize(to: kc_error(status: KC_OK, http_code: 0, reason: UnsafePointer(strdup("")),
                                       message: UnsafePointer(strdup("")), status_json: UnsafePointer(strdup(""))))
        _ = pthread_setspecific(key, raw)
        return record
    }

    /// Stores `description` as this thread's last error; returns its status.
    @discardableResult
    static func set(_ description: ErrorDescription) -> kc_status {
        guard let record = current() else { return description.status }
        free(UnsafeMutableRawPointer(mutating: record.pointee.reason))
        free(UnsafeMutableRawPointer(mutating: record.pointee.message))
        free(UnsafeMutableRawPointer(mutating: record.pointee.status_json))
        record.pointee.status = description.status
        record.pointee.http_code = description.httpCode
        record.pointee.reason = UnsafePointer(strdup(description.reason))
        record.pointee.message = UnsafePointer(strdup(description.message))
        record.pointee.status_json = UnsafePointer(strdup(description.statusJSON))
        return description.status
    }

    /// Resets this thread's record to success (cheap when it already is).
    static func clear() {
        guard let record = current(), record.pointee.status != KC_OK || record.pointee.http_code != 0 else { return }
        set(.ok)
    }

    private static func destroy(_ record: UnsafeMutablePointer<kc_error>) {
        free(UnsafeMutableRawPointer(mutating: record.pointee.reason))
        free(UnsafeMutableRawPointer(mutating: record.pointee.message))
        free(UnsafeMutableRawPointer(mutating: record.pointee.status_json))
        free(record)
    }
}

/// A `kc_error` built for one callback invocation (the watch's on_done), freed afterwards.
struct TemporaryErrorRecord: ~Copyable {
    private var record: kc_error

    init(_ description: ErrorDescription) {
        record = kc_error(status: description.status, http_code: description.httpCode,
                          reason: UnsafePointer(strdup(description.reason)),
                          message: UnsafePointer(strdup(description.message)),
                          status_json: UnsafePointer(strdup(description.statusJSON)))
    }

    deinit {
        free(UnsafeMutableRawPointer(mutating: record.reason))
        free(UnsafeMutableRawPointer(mutating: record.message))
        free(UnsafeMutableRawPointer(mutating: record.status_json))
    }

    /// Calls `body` with a pointer valid for the duration of the call.
    mutating func withPointer<R>(_ body: (UnsafePointer<kc_error>) -> R) -> R {
        withUnsafePointer(to: &record) { body($0) }
    }
}
