// Seed walkthrough (e): the server's preferred resources, as `kubectl api-resources` prints them.
// Usage: swift run api_resources_list [--kubeconfig path] [--master url] [--context name]
import ArgumentParser
import ExampleSupport
import Foundation
import KubeClient
import KubeCore

struct Arguments: ExampleArguments {
    @OptionGroup var connection: ConnectionOptions
}

func run() throws {
    let arguments = Arguments.parseOrExit()
    let client = try KubeClient(config: arguments.connection.loadConfig())
    let rows = try client.discovery.serverPreferredResources().map { resource in
        [resource.name, resource.shortNames.joined(separator: ","), resource.groupVersion.apiVersion,
         resource.namespaced ? "true" : "false", resource.kind]
    }
    let header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    for row in [header] + rows {
        let cells = row.enumerated().map { column, value in
            value + String(repeating: " ", count: widths[column] - value.count)
        }
        print(cells.joined(separator: "   ").trimmingCharacters(in: .whitespaces))
    }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
