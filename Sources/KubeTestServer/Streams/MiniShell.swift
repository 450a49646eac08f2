/// Just enough of `sh` for tests: `sh -c SCRIPT`, scripts read from stdin one line at a time, and
/// an interactive prompt with a TTY.
/// Understood: words with '...' and "..." quoting and backslash escapes, `$NAME` from `env`,
/// `;`, `&&`, `||`, `exit [N]`, redirections `>&2` `1>&2` `2>&1` `>/dev/null` `2>/dev/null`, and
/// the built-in commands. Anything else that is not built in is `sh: NAME: not found` (127).
enum MiniShell {
    enum Token: Equatable {
        case word(String)
        /// `;` (or a line break), `&&`, `||`, `|`.
        case op(String)
        case redirect(Redirect)
    }

    enum Redirect: Equatable {
        case outToErr, errToOut, outToNull, errToNull
    }

    struct SyntaxError: Error {
        var message: String
    }

    /// `exit` ends the whole script.
    private enum Outcome {
        case status(Int32)
        case exit(Int32)
    }

    static func main(_ args: [String], _ call: ExecInvocation, io: BuiltinCommands.IO) async throws -> Int32 {
        if args.first == "-c" {
            guard args.count > 1 else {
                try await io.err.write("sh: -c requires an argument\n")
                return 2
            }
            switch try await run(args[1], call, io: io, status: 0) {
            case .status(let s), .exit(let s): return s
            }
        }
        if let script = args.first {
            try await io.err.write("sh: can't open '\(script)': No such file or directory\n")
            return 2
        }
        if call.tty { return try await interactive(call, io: io) }
        var status: Int32 = 0
        for await line in call.stdin.lines {
            switch try await run(line, call, io: io, status: status) {
            case .exit(let s): return s
            case .status(let s): status = s
            }
        }
        return status
    }

    /// With a terminal, the client sends keystrokes (kubectl puts its terminal in raw mode), so
    /// the shell does what the pty's line discipline would: echo, Enter as "\r", backspace,
    /// ^C (discard the line) and ^D (end on an empty line). A prompt `$ ` precedes each line.
    private static func interactive(_ call: ExecInvocation, io: BuiltinCommands.IO) async throws -> Int32 {
        var status: Int32 = 0
        var line: [UInt8] = []
        var echo: [UInt8] = []
        var afterCR = false
        try await io.out.write("$ ")
        for await chunk in call.stdin {
            for byte in chunk {
                defer { afterCR = byte == 13 }
                switch byte {
                case 10 where afterCR:
                    continue
                case 13, 10:
                    try await io.out.write(echo + [10])
                    echo = Array("$ ".utf8)
                    switch try await run(String(decoding: line, as: UTF8.self), call, io: io, status: status) {
                    case .exit(let s): return s
                    case .status(let s): status = s
                    }
                    line = []
                case 127, 8:
                    if !line.isEmpty {
                        line.removeLast()
                        echo += [8, 32, 8]
                    }
                case 3:
                    line = []
                    status = 130
                    echo += Array("^C\n$ ".utf8)
                case 4 where line.isEmpty:
                    try await io.out.write(echo + [10])
                    return status
                default:
                    line.append(byte)
                    echo.append(byte)
                }
            }
            if !echo.isEmpty {
                try await io.out.write(echo)
                echo = []
            }
        }
        return status
    }

    private static func run(_ script: String, _ call: ExecInvocation, io: BuiltinCommands.IO, status initial: Int32) async throws -> Outcome {
        let tokens: [Token]
        do { tokens = try tokenize(script, environment: Dictionary(BuiltinCommands.environment(call)) { a, _ in a }) } catch {
            try await io.err.write("sh: syntax error: \(error.message)\n")
            return .status(2)
        }
        var status = initial
        var connector = ";"
        var words: [String] = []
        var redirects: [Redirect] = []
        for token in tokens + [.op(";")] {
            switch token {
            case .word(let w):
                words.append(w)
            case .redirect(let r):
                redirects.append(r)
            case .op(let op):
                if op == "|" {
                    try await io.err.write("sh: pipes are not supported by kubeclient-testserver\n")
                    return .status(2)
                }
                let runIt = connector == ";" || (connector == "&&" && status == 0) || (connector == "||" && status != 0)
                if runIt && !words.isEmpty {
                    if words[0] == "exit" {
                        return .exit(words.count > 1 ? Int32(truncatingIfNeeded: Int(words[1]) ?? 2) : status)
                    }
                    status = try await command(words, call, io: redirect(io, redirects))
                }
                words = []
                redirects = []
                connector = op
            }
        }
        return .status(status)
    }

    private static func command(_ words: [String], _ call: ExecInvocation, io: BuiltinCommands.IO) async throws -> Int32 {
        if words[0] == "cd" || words[0] == ":" { return 0 }
        if let status = try await BuiltinCommands.execute(words, call, io: io) { return status }
        try await io.err.write("sh: \(words[0]): not found\n")
        return 127
    }

    private static func redirect(_ io: BuiltinCommands.IO, _ redirects: [Redirect]) -> BuiltinCommands.IO {
        var result = io
        let discard = ExecOutput(sink: nil, channel: 0)
        for r in redirects {
            switch r {
            case .outToErr: result.out = result.err
            case .errToOut: result.err = result.out
            case .outToNull: result.out = discard
            case .errToNull: result.err = discard
            }
        }
        return result
    }

    static func tokenize(_ script: String, environment: [String: String] = [:]) throws(SyntaxError) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(script)
        var i = 0
        var word = ""
        var inWord = false
        func flush() {
            if inWord { tokens.append(.word(word)) }
            word = ""
            inWord = false
        }
        func variable() -> String {
            var name = ""
            while i < chars.count, chars[i] == "_" || chars[i].isLetter || chars[i].isNumber {
                name.append(chars[i])
                i += 1
            }
            return name.isEmpty ? "$" : (environment[name] ?? "")
        }
        func rest(_ s: String) -> Bool {
            let end = i + s.count
            return end <= chars.count && String(chars[i..<end]) == s
        }
        while i < chars.count {
            let c = chars[i]
            switch c {
            case " ", "\t":
                flush()
                i += 1
            case "\n", ";":
                flush()
                tokens.append(.op(";"))
                i += 1
            case "&" where rest("&&"), "|" where rest("||"):
                flush()
                tokens.append(.op(String([c, c])))
                i += 2
            case "|":
                flush()
                tokens.append(.op("|"))
                i += 1
            case "'":
                inWord = true
                i += 1
                while i < chars.count, chars[i] != "'" {
                    word.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw SyntaxError(message: "unterminated quoted string") }
                i += 1
            case "\"":
                inWord = true
                i += 1
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count, "\"\\$`".contains(chars[i + 1]) {
                        word.append(chars[i + 1])
                        i += 2
                    } else if chars[i] == "$" {
                        i += 1
                        word += variable()
                    } else {
                        word.append(chars[i])
                        i += 1
                    }
                }
                guard i < chars.count else { throw SyntaxError(message: "unterminated quoted string") }
                i += 1
            case "\\":
                inWord = true
                if i + 1 < chars.count { word.append(chars[i + 1]) }
                i += 2
            case "$":
                inWord = true
                i += 1
                word += variable()
            case ">" where !inWord || word == "1" || word == "2":
                let fd = inWord ? word : "1"
                word = ""
                inWord = false
                i += 1
                if i < chars.count, chars[i] == "&" {
                    i += 1
                    let target = i < chars.count ? chars[i] : " "
                    i += 1
                    switch (fd, target) {
                    case ("1", "2"): tokens.append(.redirect(.outToErr))
                    case ("2", "1"): tokens.append(.redirect(.errToOut))
                    case ("1", "1"), ("2", "2"): break
                    default: throw SyntaxError(message: "bad redirection")
                    }
                } else {
                    while i < chars.count, chars[i] == " " { i += 1 }
                    while i < chars.count, !" ;&|\n".contains(chars[i]) { i += 1 }
                    // Every file is /dev/null: the container has no file system.
                    tokens.append(.redirect(fd == "2" ? .errToNull : .outToNull))
                }
            default:
                inWord = true
                word.append(c)
                i += 1
            }
        }
        flush()
        return tokens
    }
}
