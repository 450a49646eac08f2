import Foundation
import KubeCore
import KubeModels
import Testing
import KubeTestSupport

@Suite("Round trip over the upstream fixtures")
struct RoundTripTests {
    /// Fixtures whose kind is generated but that cannot round-trip, with the reason.
    /// Keep this list in the closing note of the issue; the test fails if it changes.
    static let knownFailures: [String: String] = [:]

    @Test("every fixture of a generated kind decodes and re-encodes to the same JSON value")
    func roundTrip() throws {
        let fixtures = try APIFixtures.all()
        var covered: [String] = []
        var skipped: [String] = []
        var failures: [String: String] = [:]
        for fixture in fixtures {
            guard let type = KnownKinds.modelType(apiVersion: fixture.apiVersion, kind: fixture.kind) else {
                skipped.append(fixture.file)
                continue
            }
            covered.append(fixture.file)
            do {
                let model = try type.init(json: fixture.json)
                let again = model.toJSON()
                if again != fixture.json {
                    failures[fixture.file] = jsonDifferences(fixture.json, again).joined(separator: "; ")
                    continue
                }
                // Stable: a second pass changes nothing.
                let second = try type.init(json: again).toJSON()
                if second != again { failures[fixture.file] = "second round trip differs" }
            } catch {
                failures[fixture.file] = "decode failed: \(error)"
            }
        }
        let reached = try Self.definitionsReached(fromKindsOf: fixtures.filter { covered.contains($0.file) })
        print("round trip: \(fixtures.count) fixtures, \(covered.count) of generated kinds, \(covered.count - failures.count) round-trip, \(skipped.count) not generated (versions absent from the v1.37 definitions)")
        print("round trip: the covered kinds exercise \(reached.reached) of the \(reached.total) definitions (nested types included)")
        for file in skipped { print("  not generated: \(file)") }
        for (file, reason) in failures.sorted(by: { $0.key < $1.key }) { print("  FAILED \(file): \(reason)") }
        #expect(covered.count > 100)
        #expect(Set(failures.keys) == Set(Self.knownFailures.keys), "\(failures)")
    }

    /// How many schema definitions the covered kinds reach through their fields (the fixtures
    /// populate every field, so each reached definition's generated code ran).
    static func definitionsReached(fromKindsOf fixtures: [APIFixtures.Fixture]) throws -> (reached: Int, total: Int) {
        let url = RegenerationTests.root.appendingPathComponent("api/definitions-v1.37.0.json")
        let defs = try JSON.parse(bytes: [UInt8](Data(contentsOf: url)))["$defs"]?.objectValue ?? [:]
        var byKind: [String: String] = [:]
        for (name, schema) in defs {
            for gvk in schema["x-kubernetes-group-version-kind"]?.arrayValue ?? [] {
                let group = gvk["group"]?.stringValue ?? ""
                let version = gvk["version"]?.stringValue ?? ""
                let apiVersion = group.isEmpty ? version : "\(group)/\(version)"
                byKind["\(apiVersion)/\(gvk["kind"]?.stringValue ?? "")"] = name
            }
        }
        var seen = Set<String>()
        var stack = fixtures.compactMap { byKind["\($0.apiVersion)/\($0.kind)"] }
        func refs(_ schema: JSON) -> [String] {
            var out: [String] = []
            if let ref = schema["$ref"]?.stringValue, let last = ref.split(separator: "/").last { out.append(String(last)) }
            if let items = schema["items"] { out += refs(items) }
            if let values = schema["additionalProperties"], case .object = values { out += refs(values) }
            return out
        }
        while let name = stack.popLast() {
            guard seen.insert(name).inserted else { continue }
            for (_, property) in defs[name]?["properties"]?.objectValue ?? [:] { stack += refs(property) }
        }
        return (seen.count, defs.count)
    }

    @Test("Codable bridging agrees with the direct JSON conversion")
    func codableBridge() throws {
        let fixture = try #require(try APIFixtures.all().first { $0.file == "core.v1.Pod.json" })
        let pod = try CoreV1.Pod(json: fixture.json)
        let data = try JSONEncoder().encode(pod)
        let decoded = try JSONDecoder().decode(CoreV1.Pod.self, from: data)
        #expect(decoded == pod)
        #expect(try JSON.parse(bytes: [UInt8](data)) == fixture.json)
    }
}
