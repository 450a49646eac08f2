#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeCore

/// What a finished child process left behind.
struct PluginProcessOutput: Sendable {
    /// Exit status when the process exited normally.
    var exitCode: Int32?
    /// The terminating signal when it was killed.
    var signal: Int32?
    var stdout: [UInt8]
    var stderr: [UInt8]
    /// Set when the run was cut short and the process killed.
    var interrupted: PluginInterruption?
}

/// Why a plugin run was cut short.
enum PluginInterruption: Sendable, Equatable {
    /// The deadline passed before the process finished.
    case deadline
    /// The caller gave up (request cancelled, client closed).
    case aborted
}

/// Runs a command to completion with posix_spawn (no Foundation `Process` in the library):
/// stdin from /dev/null, stdout and stderr captured through pipes, signal mask and SIGPIPE
/// disposition reset so the child behaves the same whether the host (Python, say) ignores
/// SIGPIPE or blocks signals on the calling thread. The child gets no other descriptor of
/// the host (sockets, files opened without close-on-exec by the application), and a run that
/// outlives its deadline or is aborted is killed, so a hung plugin cannot wedge the client.
enum PluginProcess {
    /// Caps on captured output, so a runaway plugin cannot exhaust memory.
    static let stdoutLimit = 8 << 20
    static let stderrLimit = 64 << 10

    /// Spawns `command` (looked up in `PATH` unless it contains a slash) with `arguments` and the
    /// full environment `environment` ("NAME=value" entries), and waits for it.
    /// Throws the `errno` of a failed spawn (ENOENT when the command does not exist).
    ///
    /// `deadline` is a `MonotonicClock` instant in nanoseconds (nil: none); `shouldAbort` is
    /// polled while waiting (every `pollInterval`) and kills the process when it answers true.
    static func run(_ command: String, arguments: [String], environment: [String], deadline: UInt64? = nil,
                    shouldAbort: () -> Bool = { false }) throws(LocalFileError) -> PluginProcessOutput {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // pipe2(O_CLOEXEC) is not visible without _GNU_SOURCE; set the flag right after.
        guard pipe(&outPipe) == 0 else { throw LocalFileError(code: errno) }
        guard pipe(&errPipe) == 0 else {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            throw LocalFileError(code: code)
        }
        for fd in outPipe + errPipe {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Its own process group, so that killing a hung plugin also kills what it started
        // (a shell script's `sleep`, a helper that inherited the pipes).
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = CStringArray([command] + arguments)
        let envp = CStringArray(environment)
        defer {
            argv.release()
            envp.release()
        }
        var pid = pid_t()
        var spawned: Int32 = 0
        // ETXTBSY: a child forked elsewhere in this process may still hold a write descriptor
        // of a just-written script until its own exec closes it; that clears within moments.
        for attempt in 0..<5 {
            if command.contains("/") {
                spawned = posix_spawn(&pid, command, &actions, &attributes, argv.pointers, envp.pointers)
            } else {
                spawned = posix_spawnp(&pid, command, &actions, &attributes, argv.pointers, envp.pointers)
            }
            guard spawned == ETXTBSY else { break }
            usleep(UInt32(10_000 << attempt))
        }
        // The child holds its own copies of the write ends; ours must go so reads see EOF.
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw LocalFileError(code: spawned)
        }

        let (stdout, stderr, interrupted) = drain(outPipe[0], errPipe[0], deadline: deadline, shouldAbort: shouldAbort)
        close(outPipe[0])
        close(errPipe[0])
        // Killed before reaping, so the wait below cannot block on a hung child. A child that
        // closed its pipes but is still running (it daemonised, say) is killed too.
        if interrupted != nil { _ = kill(-pid, SIGKILL) }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift cannot import.
        let termination = status & 0x7f
        if termination == 0 {
            return PluginProcessOutput(exitCode: (status >> 8) & 0xff, signal: nil, stdout: stdout, stderr: stderr,
                                       interrupted: interrupted)
        }
        return PluginProcessOutput(exitCode: nil, signal: termination, stdout: stdout, stderr: stderr,
                                   interrupted: interrupted)
    }

    /// How often a waiting run looks at `shouldAbort`.
    static let pollIntervalMilliseconds: Int32 = 50

    /// Closes every descriptor above stderr in the child. glibc 2.34+ has a file action for
    /// that; it is a GNU extension the Swift importer does not see, so it is looked up by name.
    /// Without it, each descriptor open now is closed one by one.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        guard let dir = opendir("/proc/self/fd") else { return }
        defer { closedir(dir) }
        let own = dirfd(dir)
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let fd = Int32(name), fd > 2, fd != own {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        }
    }

    /// Reads both pipes until both reach EOF (polling, so a chatty stderr cannot block stdout),
    /// the deadline passes, or `shouldAbort` answers true.
    private static func drain(_ outFD: Int32, _ errFD: Int32, deadline: UInt64?,
                              shouldAbort: () -> Bool) -> ([UInt8], [UInt8], PluginInterruption?) {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var fds = [pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0)]
        var open = 2
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while open > 0 {
            if shouldAbort() { return (out, err, .aborted) }
            var wait = pollIntervalMilliseconds
            if let deadline {
                let now = MonotonicClock.nanoseconds()
                if now >= deadline { return (out, err, .deadline) }
                wait = Int32(min(UInt64(wait), (deadline - now) / 1_000_000 + 1))
            }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if ready == 0 { continue }
            for index in fds.indices where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(fds[index].fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    fds[index].fd = -1  // poll ignores negative descriptors
                    open -= 1
                    continue
                }
                if index == 0 {
                    if out.count < stdoutLimit { out.append(contentsOf: chunk[0..<min(count, stdoutLimit - out.count)]) }
                } else {
                    if err.count < stderrLimit { err.append(contentsOf: chunk[0..<min(count, stderrLimit - err.count)]) }
                }
            }
        }
        return (out, err, nil)
    }
}

/// A NULL-terminated `char *[]` for argv/envp, owned until `release()`.
private struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointers[index] = strdup(string)
        }
        pointers[strings.count] = nil
    }

    func release() {
        var index = 0
        while let pointer = pointers[index] {
            free(pointer)
            index += 1
        }
        pointers.deallocate()
    }
}
