import Foundation
import Testing

/// The API schema lives twice: `api/` feeds the generators, and the test server bundles its own
/// copy as a resource (it serves it as OpenAPI and validates against it). Code generated from
/// one must never meet a server speaking the other, and the informer's key dictionary must
/// match the schema it was made from.
@Suite("Schema copies and the field-name dictionary agree")
struct SchemaCopiesTests {
    static var root: URL { RegenerationTests.root }

    @Test("api/ and the test server's resources hold the same definitions and discovery documents",
          arguments: ["definitions-v1.37.0.json", "discovery-resourcelists.json"])
    func copiesAreIdentical(file: String) throws {
        let generatorCopy = try Data(contentsOf: Self.root.appendingPathComponent("api/\(file)"))
        let serverCopy = try Data(contentsOf: Self.root.appendingPathComponent("Sources/KubeTestServer/Resources/\(file)"))
        #expect(generatorCopy == serverCopy, "api/\(file) and Sources/KubeTestServer/Resources/\(file) differ: copy one over the other")
    }

    @Test("FieldNames.swift regenerates identically from the definitions")
    func fieldNamesAreCurrent() throws {
        let fresh = FileManager.default.temporaryDirectory.appendingPathComponent("FieldNames-\(UUID().uuidString).swift")
        defer { try? FileManager.default.removeItem(at: fresh) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root.appendingPathComponent("scripts/generate-field-names.py").path, "--out", fresh.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try Data(contentsOf: Self.root.appendingPathComponent("Sources/KubeRuntime/Informer/Store/FieldNames.swift"))
        #expect(try Data(contentsOf: fresh) == committed,
                "Sources/KubeRuntime/Informer/Store/FieldNames.swift is stale; run python3 scripts/generate-field-names.py")
    }
}
