import Foundation
import KubeCore
import Testing
@testable import KubeClient
import KubeTestSupport

/// Issues: a hung exec plugin wedged requests and close; plugins inherited the host's
/// descriptors; stderr and install hints reached errors verbatim.
@Suite("Exec plugins run bounded, isolated and quoted safely")
struct ExecPluginHardeningTests {
    private static func config(_ dir: ConfigTestDirectory, script: String, hint: String = "") throws -> RESTConfig {
        let plugin = try dir.write("plugin.sh", "#!/bin/sh\n" + script, executable: true)
        var exec = ExecConfig(command: plugin, apiVersion: "client.authentication.k8s.io/v1")
        exec.env = [ExecConfig.EnvVar(name: "PLUGIN_DIR", value: dir.path)]
        if !hint.isEmpty { exec.installHint = hint }
        return RESTConfig(host: "https://127.0.0.1:1", credentials: .exec(exec))
    }

    /// Runs `body` on a thread and waits at most `seconds` for it: a hang fails the test
    /// instead of hanging the suite.
    private static func bounded<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) throws -> T? {
        let box = ResultBox<T>()
        let thread = try KubeThread.spawn(name: "bounded") { box.set(body()) }
        let value = box.wait(seconds: seconds)
        if value != nil { thread.join() }
        return value
    }

    @Test("a hung plugin is killed at the request's deadline and the request times out")
    func hungPluginTimesOut() throws {
        let dir = try ConfigTestDirectory()
        let config = try Self.config(dir, script: "echo $$ > \"$PLUGIN_DIR/pid\"\nsleep 1000\n")
        let provider = CredentialProvider(config: config)
        let deadline = MonotonicClock.nanoseconds() + 300_000_000
        let error = try #require(try Self.bounded(30) { () -> KubeError? in
            do throws(KubeError) { _ = try provider.current(deadline: deadline); return nil } catch { return error }
        })
        #expect(error?.isTimeout == true)
        // The plugin's whole process group was killed, its sleep included.
        let pid = try #require(Int32(try dir.read("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, 0) != 0)
    }

    @Test("close() stops a running plugin and a caller waiting for it")
    func closeStopsPlugin() throws {
        let dir = try ConfigTestDirectory()
        let config = try Self.config(dir, script: "touch \"$PLUGIN_DIR/started\"\nsleep 1000\n")
        let provider = CredentialProvider(config: config)
        let box = ResultBox<KubeError?>()
        let runner = try KubeThread.spawn(name: "runner") {
            do throws(KubeError) { _ = try provider.current(); box.set(nil) } catch { box.set(error) }
        }
        #expect(eventually(within: 30) { FileManager.default.fileExists(atPath: dir.path + "/started") })
        provider.close()
        let error = box.wait(seconds: 30)
        runner.join()
        #expect(error??.isCancelled == true)
        #expect(throws: KubeError.self) { _ = try provider.current() }
    }

    @Test("a cancelled request stops waiting for the plugin")
    func cancellation() throws {
        let dir = try ConfigTestDirectory()
        let config = try Self.config(dir, script: "sleep 1000\n")
        let provider = CredentialProvider(config: config)
        let token = CancellationToken()
        token.cancel()
        let error = try Self.bounded(30) { () -> KubeError? in
            do throws(KubeError) { _ = try provider.current(cancellation: token); return nil } catch { return error }
        }
        #expect(error??.isCancelled == true)
    }

    @Test("the plugin inherits only stdin, stdout and stderr")
    func noInheritedDescriptors() throws {
        let dir = try ConfigTestDirectory()
        // A descriptor the host opened without close-on-exec, as C and Python programs do.
        let fd = open("/dev/null", O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        let script = """
        if [ -e /proc/$$/fd/\(fd) ]; then echo leaked > "$PLUGIN_DIR/fd"; else echo clean > "$PLUGIN_DIR/fd"; fi
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'
        """
        let provider = CredentialProvider(config: try Self.config(dir, script: script))
        #expect(try provider.current() == .bearer("t"))
        #expect(try dir.read("fd") == "clean\n")
    }

    @Test("an install hint's terminal escapes are shown as U+001B")
    func installHintEscapes() throws {
        var exec = ExecConfig(command: "kubeclient-test-no-such-plugin-\u{1b}[2J")
        exec.installHint = "run \u{1b}[31mthis\u{1b}[0m"
        let provider = CredentialProvider(config: RESTConfig(host: "https://h", credentials: .exec(exec)))
        let message = try #require(configMessage { _ = try provider.current() })
        #expect(!message.contains("\u{1b}"))
        #expect(message.contains("run U+001B[31mthisU+001B[0m"))
    }
}

/// One value handed from a thread to the test.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var value: T?

    func set(_ newValue: T) {
        lock.withLock {
            value = newValue
            lock.broadcast()
        }
    }

    /// The value, waiting up to `seconds` for it.
    func wait(seconds: Double) -> T? {
        let deadline = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
        return lock.withLock {
            while value == nil, MonotonicClock.nanoseconds() < deadline {
                lock.wait(deadlineNanos: deadline)
            }
            return value
        }
    }
}

