import CZlib

/// The compressing half of SPDY/3 header-block compression: one zlib stream (with the SPDY
/// dictionary) per connection and direction, each block ended by a sync flush so the peer can
/// decode it at once. Event-loop confined, like the connection it belongs to.
final class SPDYHeaderDeflater {
    // zlib keeps a pointer back to its z_stream, so the struct needs a stable address.
    private let stream: UnsafeMutablePointer<z_stream>

    init() throws(SPDYProtocolError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard kc_deflate_init2(stream, Z_BEST_COMPRESSION, MAX_WBITS, 8) == Z_OK else {
            stream.deallocate()
            throw SPDYProtocolError("zlib deflateInit2 failed")
        }
        let rc = SPDYDictionary.bytes.withUnsafeBufferPointer { dictionary in
            deflateSetDictionary(stream, dictionary.baseAddress, uInt(dictionary.count))
        }
        guard rc == Z_OK else {
            deflateEnd(stream)
            stream.deallocate()
            throw SPDYProtocolError("zlib deflateSetDictionary failed")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    func compress(_ input: [UInt8]) throws(SPDYProtocolError) -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var input = input
        let count = input.count
        var failure: SPDYProtocolError?
        input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = uInt(count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = uInt(outBuffer.count)
                    let rc = deflate(stream, Z_SYNC_FLUSH)
                    if rc != Z_OK && rc != Z_BUF_ERROR { failure = SPDYProtocolError("zlib deflate failed (\(rc))") }
                    return outBuffer.count - Int(stream.pointee.avail_out)
                }
                output += chunk[0..<produced]
            } while failure == nil && stream.pointee.avail_out == 0
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        if let failure { throw failure }
        return output
    }
}

/// The decompressing half: the peer's header blocks, in the order they arrive on the connection.
final class SPDYHeaderInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    /// A header block may not expand beyond this (a zlib bomb would otherwise eat the server's memory).
    let maxDecompressedBytes: Int

    init(maxDecompressedBytes: Int = 1 << 20) throws(SPDYProtocolError) {
        self.maxDecompressedBytes = maxDecompressedBytes
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard kc_inflate_init(stream) == Z_OK else {
            stream.deallocate()
            throw SPDYProtocolError("zlib inflateInit failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    func decompress(_ input: [UInt8]) throws(SPDYProtocolError) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var input = input
        let count = input.count
        var failure: SPDYProtocolError?
        input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = uInt(count)
            while failure == nil {
                var done = false
                let pendingBefore = stream.pointee.avail_in
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = uInt(outBuffer.count)
                    var rc = inflate(stream, Z_SYNC_FLUSH)
                    if rc == Z_NEED_DICT {
                        rc = SPDYDictionary.bytes.withUnsafeBufferPointer { dictionary in
                            inflateSetDictionary(stream, dictionary.baseAddress, uInt(dictionary.count))
                        }
                        if rc == Z_OK { rc = inflate(stream, Z_SYNC_FLUSH) }
                    }
                    switch rc {
                    case Z_OK, Z_BUF_ERROR:
                        done = stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0
                    case Z_STREAM_END:
                        done = true
                    default:
                        failure = SPDYProtocolError("invalid compressed header block (zlib \(rc))")
                    }
                    return outBuffer.count - Int(stream.pointee.avail_out)
                }
                output += chunk[0..<produced]
                if output.count > maxDecompressedBytes {
                    failure = SPDYProtocolError("header block larger than \(maxDecompressedBytes) bytes")
                }
                // No output and no input consumed: zlib can make no progress (a truncated block).
                if done || (produced == 0 && stream.pointee.avail_in == pendingBefore) { break }
            }
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        if let failure { throw failure }
        return output
    }
}
