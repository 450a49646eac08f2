import Foundation
import Testing

@Suite("Protobuf schema table is up to date")
struct SchemaRegenerationTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test("regenerating from api/proto reproduces the committed table")
    func regenerate() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("protobuf-table-\(UUID().uuidString).swift")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/generate-protobuf-schema.py").path, "--out", out.path]
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try Data(contentsOf: Self.root.appendingPathComponent("Sources/KubeProtobuf/Generated/ProtobufSchemaTable.swift"))
        #expect(try Data(contentsOf: out) == committed, "stale; run python3 scripts/generate-protobuf-schema.py")
    }
}
