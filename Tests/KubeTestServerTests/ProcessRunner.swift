import Foundation
import KubeTestSupport
import Synchronization

/// Runs external programs (kubectl, curl) for the end-to-end tests.
enum ProcessRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func find(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin"] {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A long-running process whose stdout lines are collected as they arrive.
    final class Background: Sendable {
        let process: Process
        private let pipe = Pipe()
        private let lines = Mutex<[String]>([])
        private let partial = Mutex<String>("")

        init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            process.environment = env
            let out = pipe
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            self.process = process
            try process.run()
            // A plain reader thread: FileHandle.readabilityHandler is unreliable on Linux.
            let handle = out.fileHandleForReading
            let reader = Thread { [weak self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    guard let self else { return }
                    let text = String(decoding: data, as: UTF8.self)
                    let complete: [String] = self.partial.withLock { p in
                        p += text
                        var parts = p.components(separatedBy: "\n")
                        p = parts.removeLast()
                        return parts
                    }
                    self.lines.withLock { $0 += complete }
                }
            }
            reader.start()
        }

        var output: [String] { lines.withLock { $0 } }

        /// Waits until `condition` holds for the output (polling), up to `timeout` seconds.
        func wait(timeout: Double, until condition: ([String]) -> Bool) -> Bool {
            eventually(within: timeout) { condition(output) }
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }
}
