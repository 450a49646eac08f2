import CCurl
import Glibc

/// OpenSSL read-ahead with a large read buffer for WebSocket connections over TLS.
///
/// Without it OpenSSL reads each TLS record with two or three recv(2) calls (the 5-byte
/// header, then the body), ~5 KB per call: profiled on port-forward, recv and the TCP work
/// it triggers were 40 % of the pump thread's time. With read-ahead one recv takes whatever
/// the socket holds, up to `readBufferLength`, and the following records are decrypted from
/// memory. Safe with the connection's waits: they poll the socket only after curl_easy_recv
/// said CURLE_AGAIN, i.e. when OpenSSL holds no whole record.
///
/// libcurl links OpenSSL itself; the two functions are looked up in the libssl it loaded
/// (RTLD_NOLOAD), so the library gains no link dependency and does nothing on a libcurl built
/// with another TLS backend.
enum WebSocketTLSReadAhead {
    static let readBufferLength = 256 * 1024

    /// Addresses of SSL_CTX_ctrl and SSL_CTX_set_default_read_buffer_len, or nil.
    private static let functions: (ctrl: UInt, setReadBufferLength: UInt)? = resolve()

    private typealias Control = @convention(c) (UnsafeMutableRawPointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    private typealias SetLength = @convention(c) (UnsafeMutableRawPointer?, Int) -> Void
    private typealias ContextCallback = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?,
                                                        UnsafeMutableRawPointer?) -> CURLcode

    /// SSL_CTRL_SET_READ_AHEAD (the SSL_CTX_set_read_ahead macro), stable since OpenSSL 0.9.
    private static let setReadAheadControl: Int32 = 41

    /// Asks curl to call `configure` on the connection's SSL_CTX (a no-op without OpenSSL).
    static func apply(to handle: UnsafeMutableRawPointer) {
        guard functions != nil else { return }
        let callback: ContextCallback = { _, context, _ in
            WebSocketTLSReadAhead.configure(context)
            return CURLE_OK
        }
        _ = kc_curl_setopt_pointer(handle, CURLOPT_SSL_CTX_FUNCTION, unsafeBitCast(callback, to: UnsafeMutableRawPointer.self))
    }

    private static func configure(_ context: UnsafeMutableRawPointer?) {
        guard let context, let functions,
              let control = UnsafeRawPointer(bitPattern: functions.ctrl),
              let setLength = UnsafeRawPointer(bitPattern: functions.setReadBufferLength) else { return }
        _ = unsafeBitCast(control, to: Control.self)(context, setReadAheadControl, 1, nil)
        unsafeBitCast(setLength, to: SetLength.self)(context, readBufferLength)
    }

    private static func resolve() -> (ctrl: UInt, setReadBufferLength: UInt)? {
        guard let info = curl_version_info(CURLVERSION_FIRST), let ssl = info.pointee.ssl_version else { return nil }
        let version = String(cString: ssl)
        guard version.hasPrefix("OpenSSL/") else { return nil }
        let major = version.dropFirst("OpenSSL/".count).prefix { $0 != "." }
        let name = major == "1" ? "libssl.so.1.1" : "libssl.so.\(major)"
        // Only the libssl already loaded (libcurl's); the reference is kept for the process's life.
        guard let library = dlopen(name, RTLD_NOW | RTLD_NOLOAD),
              let control = dlsym(library, "SSL_CTX_ctrl"),
              let setLength = dlsym(library, "SSL_CTX_set_default_read_buffer_len") else { return nil }
        return (UInt(bitPattern: control), UInt(bitPattern: setLength))
    }
}
