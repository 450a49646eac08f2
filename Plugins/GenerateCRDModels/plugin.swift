import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory generate-crd-models [--out DIR] [flags] FILE...`:
/// runs kubeclient-gen (scripts/kubeclient-gen of this package, Python 3; PyYAML for YAML input) on
/// the CRD manifests of the package it is invoked on. Relative paths are the package's; `--out`
/// defaults to the package directory. Every other flag goes to `kubeclient-gen crd` unchanged
/// (--embed-crd, --clientset, --module-prefix, --strict, --python).
@main
struct GenerateCRDModels: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        // The generator ships in this package's checkout, next to Plugins/ (also under .build/checkouts).
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/kubeclient-gen")
        var passed = arguments
        if !passed.contains("--out") {
            passed = ["--out", context.package.directoryURL.path] + passed
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "crd"] + passed
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("kubeclient-gen crd exited with status \(process.terminationStatus)")
        }
    }
}
