// kubectl logs [-f] [-c CONTAINER] [--tail N] POD, in Swift: the log as an AsyncSequence of
// lines. Ctrl-C ends a followed log (the process exits; the stream's thread goes with it).
// Usage: swift run pod_logs [--kubeconfig path] [--master url] [--context name]
//                           [-n namespace] [-f] [-c container] [--tail n] POD
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .shortAndLong, help: "The pod's namespace (default: the kubeconfig's).") var namespace: String?
    @Flag(name: .shortAndLong, help: "Keep following new lines.") var follow = false
    @Option(name: .shortAndLong, help: "The container (needed when the pod has several).") var container: String?
    @Option(name: .customLong("tail"), help: "Only the last N lines.") var tail: Int?
    @Argument(help: "The pod.") var pod: String
}

@main
struct PodLogs {
    static func main() async {
        let arguments = Arguments.parseOrExit()
        do {
            let config = try arguments.connection.loadConfig(namespace: arguments.namespace)
            let client = try KubeClient(config: config)
            let options = PodLogOptions(container: arguments.container, follow: arguments.follow, tailLines: arguments.tail)
            let stream = try client.podLogs(namespace: config.namespace, pod: arguments.pod, options: options)
            defer { stream.close() }
            for try await line in stream.lines {
                // Unbuffered, so a follower piped into another program sees each line at once.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }
}
