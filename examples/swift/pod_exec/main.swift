// kubectl exec [-i] [-c CONTAINER] POD -- COMMAND [ARGS...], in Swift: output as it arrives
// through ExecSession.next(); with -i, this program's stdin goes to the command until
// end-of-file. Exits with the command's exit code.
// Usage: swift run pod_exec [--kubeconfig path] [--master url] [--context name]
//                           [-n namespace] [-i] [-c container] POD -- COMMAND [ARGS...]
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .shortAndLong, help: "The pod's namespace (default: the kubeconfig's).") var namespace: String?
    @Flag(name: [.short, .customLong("stdin")], help: "Pass this program's stdin to the command.") var interactive = false
    @Option(name: .shortAndLong, help: "The container (needed when the pod has several).") var container: String?
    @Argument(help: "The pod.") var pod: String
    @Argument(parsing: .postTerminator, help: "The command and its arguments (after --).") var command: [String]
}

func run() throws -> Int32 {
    let arguments = Arguments.parseOrExit()
    guard !arguments.command.isEmpty else { throw ValidationError("give the command after --") }
    let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
    let client = try KubeClient(config: config)
    let options = ExecOptions(container: arguments.container, stdin: arguments.interactive)
    let session = try client.exec(namespace: config.namespace, pod: arguments.pod, command: arguments.command,
                                  options: options)
    defer { session.close() }
    if arguments.interactive {
        // Stdin is copied on a thread of its own so output keeps flowing meanwhile.
        _ = try KubeThread.spawn(name: "stdin") {
            while true {
                let chunk = FileHandle.standardInput.availableData
                if chunk.isEmpty { break }
                do { try session.writeStdin(Array(chunk)) } catch { break }
            }
            try? session.closeStdin()
        }
    }
    while let event = try session.next() {
        switch event {
        case .stdout(let bytes): FileHandle.standardOutput.write(Data(bytes))
        case .stderr(let bytes): FileHandle.standardError.write(Data(bytes))
        }
    }
    return try session.wait()
}

do {
    exit(try run())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
