/// The commands every exec understands without a registered handler (there is no container
/// runtime). argv[0] is matched by its last path component, so `/bin/sh` is `sh`. The list is
/// in README.md next to this file.
enum BuiltinCommands {
    /// Where a command's output goes (the shell redirects with `>&2` and `2>&1`).
    struct IO: Sendable {
        var out: ExecOutput
        var err: ExecOutput
    }

    static let run: ExecHandler = { call in
        guard let name = call.command.first else { return 0 }
        guard let code = try await execute(call.command, call, io: IO(out: call.stdout, err: call.stderr)) else {
            throw CommandNotFound(name: name)
        }
        return code
    }

    /// Runs one command; nil when it is not built in.
    static func execute(_ argv: [String], _ call: ExecInvocation, io: IO) async throws -> Int32? {
        guard let first = argv.first else { return 0 }
        let args = Array(argv.dropFirst())
        switch first.split(separator: "/").last.map(String.init) ?? first {
        case "echo":
            var words = args[...]
            let newline = words.first != "-n"
            if !newline { words = words.dropFirst() }
            try await io.out.write(words.joined(separator: " ") + (newline ? "\n" : ""))
            return 0
        case "cat":
            return try await cat(args, call, io: io)
        case "env":
            try await io.out.write(environment(call).map { "\($0)=\($1)\n" }.joined())
            return 0
        case "hostname":
            try await io.out.write(call.pod + "\n")
            return 0
        case "true":
            return 0
        case "false":
            return 1
        case "sleep":
            guard let text = args.first, let seconds = Double(text), seconds >= 0 else {
                try await io.err.write("sleep: invalid time interval '\(args.first ?? "")'\n")
                return 1
            }
            // Cancelled when the client disconnects or the pod is deleted.
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            return 0
        case "stty":
            return try await stty(args, call, io: io)
        case "sh", "bash", "ash":
            return try await MiniShell.main(args, call, io: io)
        case "kc-bulk":
            return try await bulk(args, io: io)
        case "kc-sizes":
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for await size in call.resizes { try await io.out.write("\(size)\n") } }
                group.addTask { for await _ in call.stdin {} }
                try await group.next()  // stdin closed (or the sizes ended with the session)
                group.cancelAll()
            }
            return 0
        default:
            return nil
        }
    }

    /// What `env` prints: a fixed container environment plus the pod's hostname.
    static func environment(_ call: ExecInvocation) -> [(String, String)] {
        var vars = [("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), ("HOSTNAME", call.pod)]
        if call.tty { vars.append(("TERM", "xterm")) }
        vars += [("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "443"), ("HOME", "/root")]
        return vars
    }

    private static func cat(_ args: [String], _ call: ExecInvocation, io: IO) async throws -> Int32 {
        var status: Int32 = 0
        for file in args.isEmpty ? ["-"] : args {
            guard file == "-" else {
                try await io.err.write("cat: \(file): No such file or directory\n")
                status = 1
                continue
            }
            for await chunk in call.stdin { try await io.out.write(chunk) }
        }
        return status
    }

    /// `stty size` prints "ROWS COLS"; with a TTY it waits for the client's first size.
    private static func stty(_ args: [String], _ call: ExecInvocation, io: IO) async throws -> Int32 {
        guard call.tty else {
            try await io.err.write("stty: 'standard input': Inappropriate ioctl for device\n")
            return 1
        }
        guard args == ["size"] else {
            try await io.err.write("stty: only 'stty size' is built in\n")
            return 1
        }
        var sizes = call.resizes.makeAsyncIterator()
        var size = call.terminalSize
        if size == nil { size = await sizes.next() }
        try Task.checkCancellation()
        try await io.out.write("\(size ?? TerminalSize(width: 0, height: 0))\n")
        return 0
    }

    /// `kc-bulk BYTES`: BYTES zero bytes, as fast as the connection takes them (benchmarks).
    private static func bulk(_ args: [String], io: IO) async throws -> Int32 {
        guard let text = args.first, let total = Int(text), total >= 0 else {
            try await io.err.write("kc-bulk: usage: kc-bulk BYTES\n")
            return 2
        }
        let chunk = [UInt8](repeating: 0, count: RemoteCommandSession.maxMessagePayload)
        var left = total
        while left > 0 {
            let n = min(left, chunk.count)
            try await io.out.write(n == chunk.count ? chunk : Array(chunk[..<n]))
            left -= n
        }
        return 0
    }
}
