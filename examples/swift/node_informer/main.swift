// Seed walkthrough: a node informer. Prints "add a node: NAME" for every node (the initial
// list, then new ones), waits for the cache to sync, and lists all nodes from the cache.
// Usage: swift run node_informer [seconds]   (keeps watching that long; default 0)
import Foundation
import KubeClient
import KubeCore
import KubeRuntime

func run() throws {
    let arguments = CommandLine.arguments
    let seconds = arguments.count > 1 ? Double(arguments[1]) ?? 0 : 0
    let client = try KubeClient(config: RESTConfig.load())
    let factory = InformerFactory(client: client)
    defer { factory.shutdown() }
    let nodes = try factory.informer(for: GroupVersionResource(apiVersion: "v1", resource: "nodes"))
    try nodes.addHandler(ResourceEventHandler(onAdd: { node, _ in
        print("add a node: \(node.name)")
    }))
    try factory.start()
    guard factory.waitForSync(timeoutSeconds: 30) else {
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
