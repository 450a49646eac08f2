#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A snapshot of environment variables. Loading takes one as a value so tests can pass
/// their own instead of changing the process environment.
struct ProcessEnvironment: Sendable {
    var variables: [String: String]

    init(_ variables: [String: String]) {
        self.variables = variables
    }

    subscript(name: String) -> String? { variables[name] }

    /// The calling process's environment now.
    static func current() -> ProcessEnvironment {
        ProcessEnvironment(currentVariables())
    }

    /// The calling process's environment as a dictionary (first entry of a name wins, as getenv does).
    static func currentVariables() -> [String: String] {
        var result: [String: String] = [:]
        // `environ` is imported as an implicitly unwrapped pointer; it is NULL after clearenv().
        let start: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        guard var entry = start else { return result }
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                let name = String(text[..<equals])
                if result[name] == nil {
                    result[name] = String(text[text.index(after: equals)...])
                }
            }
            entry += 1
        }
        return result
    }

    /// `$HOME`, else the passwd entry of the current user.
    var homeDirectory: String? {
        if let home = variables["HOME"], !home.isEmpty { return home }
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getpwuid_r(getuid(), &record, &buffer, buffer.count, &result)
        guard status == 0, result != nil, let dir = record.pw_dir else { return nil }
        return String(cString: dir)
    }
}
