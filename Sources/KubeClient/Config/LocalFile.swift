#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a local file could not be read: the `errno` of the failing call.
struct LocalFileError: Error, Sendable {
    var code: Int32

    var isNotFound: Bool { code == ENOENT || code == ENOTDIR }

    var isPermissionDenied: Bool { code == EACCES || code == EPERM }

    /// The file was larger than the caller's limit (or endless, like /dev/zero).
    var isTooLarge: Bool { code == EFBIG }

    /// The C library's text for the error, e.g. "Permission denied".
    var reason: String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// What identifies one version of a file: when the kubelet rotates a projected token it swaps
/// a symlink, which changes the inode; editors change mtime or size.
struct LocalFileIdentity: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
}

/// Small POSIX file helpers (the library avoids Foundation's FileManager).
enum LocalFile {
    /// Largest kubeconfig, token or CA file read: far above any real one, and it keeps a path
    /// such as /dev/zero or a runaway file from exhausting memory.
    static let defaultLimit = 64 << 20

    /// The whole file (following symlinks); EFBIG when it holds more than `limit` bytes.
    static func contents(of path: String, limit: Int = defaultLimit) throws(LocalFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw LocalFileError(code: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LocalFileError(code: errno)
            }
            if count == 0 { break }
            if count > limit - bytes.count { throw LocalFileError(code: EFBIG) }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The file as UTF-8 text (invalid sequences repaired).
    static func text(of path: String) throws(LocalFileError) -> String {
        let bytes = try contents(of: path)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Identity of the file a path points to now, or nil when it cannot be stat'ed.
    static func identity(_ path: String) -> LocalFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return LocalFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                 modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }

    /// Whether something exists at the path.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}

/// Path string helpers for the `/`-separated paths of kubeconfig files.
enum FilePath {
    static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// The folder of a file path (`.` for a bare name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `base/relative`, cleaned lexically like Go's `filepath.Join` (`.` and `..` segments
    /// and repeated slashes removed).
    static func join(_ base: String, _ relative: String) -> String {
        clean(base + "/" + relative)
    }

    /// Go's `filepath.Clean`: the shortest lexically equivalent path.
    static func clean(_ path: String) -> String {
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// `path` unchanged when empty or absolute, else joined to `base`.
    static func resolve(_ path: String, against base: String) -> String {
        if path.isEmpty || isAbsolute(path) { return path }
        return join(base, path)
    }

    /// An absolute form of `path` (relative to the working directory), for messages and
    /// for resolving paths inside the file.
    static func absolute(_ path: String) -> String {
        if isAbsolute(path) { return path }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return join(cwd, String(relative))
    }
}
