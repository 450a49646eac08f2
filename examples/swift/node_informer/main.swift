// Seed walkthrough: a node informer. Prints "add a node: NAME" for every node (the initial
// list, then new ones), waits for the cache to sync, and lists all nodes from the cache.
// Usage: swift run node_informer [--kubeconfig path] [--master url] [--context name] [seconds]
//        (keeps watching that long; default 0)
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore
import KubeRuntime

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Keep watching this long (seconds).") var seconds: Double = 0
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let seconds = arguments.seconds
    let client = try KubeClient(config: arguments.connection.loadConfig())
    let factory = InformerFactory(client: client)
    defer { factory.shutdown() }
    let nodes = try factory.informer(for: GroupVersionResource(apiVersion: "v1", resource: "nodes"))
    try nodes.addHandler(ResourceEventHandler(onAdd: { node, _ in
        print("add a node: \(node.name)")
    }))
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(30)) else {
        throw KubeError.closed("the node cache did not sync within 30 s")
    }
    let cached = nodes.lister.list()
    print("\(cached.count) node(s) in the cache:")
    for node in cached.sorted(by: { $0.name < $1.name }) {
        print("  \(node.name)")
    }
    Thread.sleep(forTimeInterval: seconds)
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
