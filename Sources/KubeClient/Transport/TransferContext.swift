import CCurl
import Glibc

/// Per-transfer state reached from libcurl's C callbacks through their user-data pointer.
///
/// Lives for one `curl_easy_perform` on one thread; the transport keeps it alive across the
/// call (`withExtendedLifetime`) and passes it unretained.
final class TransferContext {
    var statusCode = 0
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    /// Receives 2xx body bytes as they arrive; returns false to stop the transfer.
    let sink: ((UnsafeRawBufferPointer) -> Bool)?
    let cancellation: CancellationToken?
    /// True once any body byte went to `sink` (the request can no longer be retried).
    var delivered = false
    /// The sink asked to stop: curl reports a write error, which is a normal end.
    var stoppedBySink = false
    /// curl's CURLOPT_ERRORBUFFER (CURL_ERROR_SIZE bytes).
    let errorBuffer: UnsafeMutablePointer<CChar>
    let limits: ResponseLimits
    /// Header bytes received for the current response.
    private var headerBytes = 0
    /// Set when the server sent more than `limits` allow; the transfer was aborted.
    private(set) var exceededLimit: String?

    init(sink: ((UnsafeRawBufferPointer) -> Bool)?, cancellation: CancellationToken?,
         limits: ResponseLimits = ResponseLimits()) {
        self.sink = sink
        self.cancellation = cancellation
        self.limits = limits
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
    }

    var errorText: String {
        var text = String(cString: errorBuffer)
        while let last = text.last, last.isNewline { text.removeLast() }
        return text
    }

    var isSuccessStatus: Bool { (200..<300).contains(statusCode) }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let sink, isSuccessStatus {
            delivered = true
            if !sink(bytes) {
                stoppedBySink = true
                return false
            }
            return true
        }
        let limit = isSuccessStatus ? limits.maxBodyBytes : limits.maxErrorBodyBytes
        if bytes.count > limit - body.count {
            exceededLimit = isSuccessStatus
                ? "response body larger than \(limit) bytes (ResponseLimits.maxBodyBytes)"
                : "error response body (HTTP \(statusCode)) larger than \(limit) bytes (ResponseLimits.maxErrorBodyBytes)"
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// False when the headers exceed their limit (curl then aborts the transfer).
    func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        if headerBytes > limits.maxHeaderBytes {
            exceededLimit = "response headers larger than \(limits.maxHeaderBytes) bytes (ResponseLimits.maxHeaderBytes)"
            return false
        }
        // Trim CR/LF on bytes: in Swift "\r\n" is one Character, so a Character test would miss it.
        var count = bytes.count
        while count > 0, bytes[count - 1] == 0x0A || bytes[count - 1] == 0x0D { count -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<count]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (after a 100 Continue, a proxy CONNECT or a redirect) starts over.
            headers = HTTPHeaders()
            headerBytes = bytes.count
            let parts = line.split(separator: " ", maxSplits: 2)
            statusCode = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = String(line[..<colon])
        let value = String(String(line[line.index(after: colon)...]).trimmingSpaces)
        headers.append(name: name, value: value)
        if sink == nil || !isSuccessStatus, name.lowercased() == "content-length",
           let length = Int(value), length > 0, length <= (isSuccessStatus ? limits.maxBodyBytes : limits.maxErrorBodyBytes),
           length < 1 << 31 {
            body.reserveCapacity(length)
        }
        return true
    }

    /// Passed to curl as an opaque pointer; valid while the owning perform runs.
    var opaque: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ pointer: UnsafeMutableRawPointer) -> TransferContext {
        Unmanaged<TransferContext>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// The C callbacks; closures capturing nothing, so they convert to C function pointers.
enum CurlCallbacks {
    static let write: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
        guard let user else { return 0 }
        let length = size * count
        let context = TransferContext.from(user)
        return context.receive(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    static let header: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
        guard let user else { return 0 }
        let length = size * count
        return TransferContext.from(user).receiveHeader(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    static let progress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { user, _, _, _, _ in
        guard let user else { return 0 }
        return TransferContext.from(user).cancellation?.isCancelled == true ? 1 : 0
    }

    static let sockopt: @convention(c) (UnsafeMutableRawPointer?, curl_socket_t, curlsocktype) -> Int32 = { user, socket, _ in
        guard let user, let token = TransferContext.from(user).cancellation else { return 0 }
        return token.register(socket: socket) ? 0 : 1  // CURL_SOCKOPT_OK / CURL_SOCKOPT_ERROR
    }

    static let closeSocket: @convention(c) (UnsafeMutableRawPointer?, curl_socket_t) -> Int32 = { user, socket in
        if let user, let token = TransferContext.from(user).cancellation {
            token.close(socket: socket)
        } else {
            _ = close(socket)
        }
        return 0
    }
}
