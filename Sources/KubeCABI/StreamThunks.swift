import CKubeABI
import KubeClient
import KubeCore

// kc_stream: read (pull mode), fd, write, close-write, stop, wait, destructor.

@_cdecl("kc_stream_read")
public func kc_stream_read(_ stream: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int,
                           _ timeoutMs: Int64, _ outLength: UnsafeMutablePointer<Int>?) -> kc_status {
    outLength?.pointee = 0
    return cabiCall {
        guard let outLength else { throw CABIError.invalidArgument("out_len is NULL") }
        let handle = try StreamHandle.table.lookup(stream)
        guard let buffer else { throw CABIError.invalidArgument("buffer is NULL") }
        if capacity <= 0 { throw CABIError.invalidArgument("capacity is 0") }
        outLength.pointee = try handle.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity),
                                            timeoutMs: timeoutMs)
    }
}

@_cdecl("kc_stream_fd")
public func kc_stream_fd(_ stream: OpaquePointer?, _ outFD: UnsafeMutablePointer<Int32>?) -> kc_status {
    cabiCall {
        guard let outFD else { throw CABIError.invalidArgument("out_fd is NULL") }
        outFD.pointee = -1
        let handle = try StreamHandle.table.lookup(stream)
        guard let fd = handle.fileDescriptor else {
            throw CABIError.invalidArgument("a stream with callbacks has no descriptor to poll")
        }
        outFD.pointee = fd
    }
}

@_cdecl("kc_stream_write")
public func kc_stream_write(_ stream: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ length: Int) -> kc_status {
    cabiCall {
        let handle = try StreamHandle.table.lookup(stream)
        if length < 0 { throw CABIError.invalidArgument("len is negative") }
        if data == nil && length > 0 { throw CABIError.invalidArgument("data is NULL") }
        guard handle.source.isWritable else { throw CABIError.invalidArgument("a log stream cannot be written to") }
        if handle.isStopped { throw CABIError.closed("the stream was stopped") }
        try handle.source.write(UnsafeRawBufferPointer(start: data, count: length))
    }
}

@_cdecl("kc_stream_close_write")
public func kc_stream_close_write(_ stream: OpaquePointer?) -> kc_status {
    cabiCall {
        let handle = try StreamHandle.table.lookup(stream)
        guard handle.source.isWritable else { throw CABIError.invalidArgument("a log stream cannot be written to") }
        if handle.isStopped { throw CABIError.closed("the stream was stopped") }
        try handle.source.closeWrite()
    }
}

@_cdecl("kc_stream_stop")
public func kc_stream_stop(_ stream: OpaquePointer?) -> kc_status {
    cabiCall {
        let (handle, isClosing) = try StreamHandle.table.lookupIncludingClosing(stream)
        handle.stop()
        // Racing a kc_stream_free: waited like it (above), then reported as a freed handle.
        if isClosing { throw CABIError.closed("kc_stream handle was freed") }
    }
}

@_cdecl("kc_stream_wait")
public func kc_stream_wait(_ stream: OpaquePointer?, _ timeoutMs: Int64) -> kc_status {
    let handle: StreamHandle
    do {
        handle = try StreamHandle.table.lookup(stream)
        if handle.isPumpThread {
            throw CABIError.invalidArgument("cannot wait for a stream from its own callback (it would never return)")
        }
    } catch {
        return ErrorRecord.set(ErrorDescription(error))
    }
    guard let outcome = handle.wait(timeoutMs: timeoutMs) else {
        return ErrorRecord.set(ErrorDescription(status: KC_ERR_TIMEOUT, httpCode: 0, reason: "",
                                                message: "the stream is still running after \(timeoutMs) ms"))
    }
    return ErrorRecord.set(outcome)
}

@_cdecl("kc_stream_free")
public func kc_stream_free(_ stream: OpaquePointer?) {
    // A concurrent second free finds the handle closing and waits too.
    guard let handle = StreamHandle.table.beginClose(stream) else { return }
    handle.stop()
    // From the stream's own callback the pump is still running: the table drops the handle
    // once it has finished.
    if !handle.isPumpThread { StreamHandle.table.endClose(handle) }
}
