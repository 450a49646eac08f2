import Foundation
import Testing

@Suite("Generated code is up to date")
struct RegenerationTests {
    static let generatedFolders = ["Sources/KubeModels/Generated", "Sources/KubeClientset/Generated"]

    /// Repository root, from this file's location (Tests/KubeModelsTests/…).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test("regenerating into a temporary folder reproduces the committed files")
    func regenerate() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("kubemodels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/generate-models.py").path, "--out", tmp.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "generator failed: \(message)")

        for folder in Self.generatedFolders {
            let committed = Self.root.appendingPathComponent(folder)
            let fresh = tmp.appendingPathComponent(folder)
            let committedFiles = Set(try FileManager.default.contentsOfDirectory(atPath: committed.path).filter { $0.hasSuffix(".swift") })
            let freshFiles = Set(try FileManager.default.contentsOfDirectory(atPath: fresh.path).filter { $0.hasSuffix(".swift") })
            #expect(committedFiles == freshFiles, "files differ in \(folder); run python3 scripts/generate-models.py")
            for file in committedFiles.intersection(freshFiles).sorted() {
                let a = try Data(contentsOf: committed.appendingPathComponent(file))
                let b = try Data(contentsOf: fresh.appendingPathComponent(file))
                #expect(a == b, "\(folder)/\(file) is stale; run python3 scripts/generate-models.py")
            }
        }
    }
}
