import CKubeABI
import KubeClient
import KubeCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// kc_exec: exec and attach sessions (constructors, stdin, resize, wait, stop, destructor) and
// the blocking kc_exec_run.

extension ExecOptions {
    /// From a caller's `kc_exec_options` (NULL = defaults) and which outputs have a callback;
    /// also its cancel token.
    static func from(_ options: UnsafePointer<kc_exec_options>?, stdout: Bool, stderr: Bool) throws(CABIError)
        -> (options: ExecOptions, cancel: CancellationToken?) {
        var result = ExecOptions(stdout: stdout, stderr: stderr)
        guard let options else { return (result, nil) }
        try OptionsVersion.check(options.pointee.version, current: KC_EXEC_OPTIONS_VERSION, "kc_exec_options")
        let o = options.pointee
        result.container = try CStrings.optional(o.container, "kc_exec_options.container")
        result.stdin = o.stdin_enabled != 0
        result.tty = o.tty != 0
        // NULL means "not cancellable"; a freed handle is an error, not a silent "no token".
        let cancel = o.cancel == nil ? nil : try CancelHandle.table.lookup(o.cancel).token
        return (result, cancel)
    }
}

/// The command line a caller passed as argv/argc.
private func command(_ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ argc: Int) throws(CABIError) -> [String] {
    guard let argv else { throw .invalidArgument("argv is NULL") }
    if argc <= 0 { throw .invalidArgument("argc is 0: exec needs a command") }
    var command: [String] = []
    for i in 0..<argc {
        command.append(try CStrings.required(argv[i], "argv[\(i)]"))
    }
    if command[0].isEmpty { throw .invalidArgument("argv[0] is empty") }
    return command
}

@_cdecl("kc_exec_options_init")
public func kc_exec_options_init(_ options: UnsafeMutablePointer<kc_exec_options>?, _ version: UInt32) -> kc_status {
    cabiCall {
        guard let options else { throw CABIError.invalidArgument("options is NULL") }
        try OptionsVersion.check(version, current: KC_EXEC_OPTIONS_VERSION, "kc_exec_options")
        options.pointee = kc_exec_options(version: version, container: nil, stdin_enabled: 0, tty: 0, cancel: nil)
    }
}

@_cdecl("kc_exec_start")
public func kc_exec_start(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                          _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ argc: Int,
                          _ options: UnsafePointer<kc_exec_options>?, _ handlers: UnsafePointer<kc_exec_handlers>?,
                          _ userData: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let target = try PodTarget(client, namespace, pod)
        let argv = try command(argv, argc)
        let h = try execHandlers(handlers)
        let (execOptions, cancel) = try ExecOptions.from(options, stdout: h.on_stdout != nil, stderr: h.on_stderr != nil)
        let session = try target.handle.client.exec(namespace: target.namespace, pod: target.pod, command: argv,
                                                    options: execOptions, cancellation: cancel)
        out.pointee = try register(ExecHandle(session: session, handlers: h, userData: userData))
    }
}

@_cdecl("kc_attach_start")
public func kc_attach_start(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                            _ options: UnsafePointer<kc_exec_options>?, _ handlers: UnsafePointer<kc_exec_handlers>?,
                            _ userData: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> kc_status {
    cabiCall {
        let out = try requireOut(out)
        let target = try PodTarget(client, namespace, pod)
        let h = try execHandlers(handlers)
        let (execOptions, cancel) = try ExecOptions.from(options, stdout: h.on_stdout != nil, stderr: h.on_stderr != nil)
        let session = try target.handle.client.attach(namespace: target.namespace, pod: target.pod, options: execOptions,
                                                      cancellation: cancel)
        out.pointee = try register(ExecHandle(session: session, handlers: h, userData: userData))
    }
}

/// The caller's handlers, checked and copied.
private func execHandlers(_ handlers: UnsafePointer<kc_exec_handlers>?) throws(CABIError) -> kc_exec_handlers {
    guard let handlers else { throw .invalidArgument("handlers is NULL") }
    try OptionsVersion.check(handlers.pointee.version, current: KC_EXEC_HANDLERS_VERSION, "kc_exec_handlers")
    return handlers.pointee
}

/// Registers a session handle and starts its thread; on failure the session is closed.
private func register(_ handle: ExecHandle) throws(CABIError) -> OpaquePointer {
    // Registered before the thread starts, so a callback may already stop or free it.
    let pointer = ExecHandle.table.register(handle)
    do {
        try handle.start()
    } catch {
        _ = ExecHandle.table.remove(pointer)
        handle.session.close()
        throw error
    }
    return pointer
}

@_cdecl("kc_exec_run")
public func kc_exec_run(_ client: OpaquePointer?, _ namespace: UnsafePointer<CChar>?, _ pod: UnsafePointer<CChar>?,
                        _ argv: UnsafePointer<UnsafePointer<CChar>?>?, _ argc: Int,
                        _ options: UnsafePointer<kc_exec_options>?, _ stdinData: UnsafePointer<CChar>?, _ stdinLength: Int,
                        _ outExitCode: UnsafeMutablePointer<Int32>?,
                        _ outStdout: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ outStdoutLength: UnsafeMutablePointer<Int>?,
                        _ outStderr: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                        _ outStderrLength: UnsafeMutablePointer<Int>?) -> kc_status {
    outExitCode?.pointee = -1
    outStdout?.pointee = nil
    outStderr?.pointee = nil
    outStdoutLength?.pointee = 0
    outStderrLength?.pointee = 0
    return cabiCall {
        guard let outExitCode else { throw CABIError.invalidArgument("out_exit_code is NULL") }
        let target = try PodTarget(client, namespace, pod)
        let argv = try command(argv, argc)
        if stdinLength < 0 { throw CABIError.invalidArgument("stdin_len is negative") }
        if stdinData == nil && stdinLength > 0 { throw CABIError.invalidArgument("stdin_data is NULL") }
        let (execOptions, cancel) = try ExecOptions.from(options, stdout: true, stderr: true)
        let stdin: [UInt8]? = stdinData.flatMap { data in
            stdinLength > 0 ? Array(UnsafeRawBufferPointer(start: data, count: stdinLength)) : nil
        }
        let result = try target.handle.client.execCollect(namespace: target.namespace, pod: target.pod, command: argv,
                                                          stdin: stdin, options: execOptions, cancellation: cancel)
        // Allocated before anything is handed out, so a failure leaves every out-parameter empty.
        let out = outStdout == nil ? nil : try CStrings.allocate(result.stdout)
        let err: UnsafeMutablePointer<CChar>?
        do {
            err = outStderr == nil ? nil : try CStrings.allocate(result.stderr)
        } catch {
            free(out)
            throw error
        }
        outStdout?.pointee = out
        outStdoutLength?.pointee = result.stdout.count
        outStderr?.pointee = err
        outStderrLength?.pointee = result.stderr.count
        outExitCode.pointee = result.exitCode
    }
}

@_cdecl("kc_exec_write_stdin")
public func kc_exec_write_stdin(_ session: OpaquePointer?, _ data: UnsafePointer<CChar>?, _ length: Int) -> kc_status {
    cabiCall {
        let handle = try ExecHandle.table.lookup(session)
        if length < 0 { throw CABIError.invalidArgument("len is negative") }
        if data == nil && length > 0 { throw CABIError.invalidArgument("data is NULL") }
        let bytes = data.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
        try handle.session.writeStdin(bytes)
    }
}

@_cdecl("kc_exec_close_stdin")
public func kc_exec_close_stdin(_ session: OpaquePointer?) -> kc_status {
    cabiCall { try ExecHandle.table.lookup(session).session.closeStdin() }
}

@_cdecl("kc_exec_resize")
public func kc_exec_resize(_ session: OpaquePointer?, _ width: UInt16, _ height: UInt16) -> kc_status {
    cabiCall { try ExecHandle.table.lookup(session).session.resize(width: width, height: height) }
}

@_cdecl("kc_exec_wait")
public func kc_exec_wait(_ session: OpaquePointer?, _ timeoutMs: Int64, _ outExitCode: UnsafeMutablePointer<Int32>?) -> kc_status {
    outExitCode?.pointee = -1
    let handle: ExecHandle
    do {
        handle = try ExecHandle.table.lookup(session)
        if handle.isSessionThread {
            throw CABIError.invalidArgument("cannot wait for a session from its own callback (it would never return)")
        }
    } catch {
        return ErrorRecord.set(ErrorDescription(error))
    }
    guard let (outcome, code) = handle.wait(timeoutMs: timeoutMs) else {
        return ErrorRecord.set(ErrorDescription(status: KC_ERR_TIMEOUT, httpCode: 0, reason: "",
                                                message: "the session is still running after \(timeoutMs) ms"))
    }
    outExitCode?.pointee = code
    return ErrorRecord.set(outcome)
}

@_cdecl("kc_exec_stop")
public func kc_exec_stop(_ session: OpaquePointer?) -> kc_status {
    cabiCall {
        let (handle, isClosing) = try ExecHandle.table.lookupIncludingClosing(session)
        handle.stop()
        // Racing a kc_exec_free: waited like it (above), then reported as a freed handle.
        if isClosing { throw CABIError.closed("kc_exec handle was freed") }
    }
}

@_cdecl("kc_exec_free")
public func kc_exec_free(_ session: OpaquePointer?) {
    // A concurrent second free finds the handle closing and waits too.
    guard let handle = ExecHandle.table.beginClose(session) else { return }
    handle.stop()
    // From the session's own callback its thread is still running: the table drops the
    // handle once it has finished.
    if !handle.isSessionThread { ExecHandle.table.endClose(handle) }
}
