import Foundation
import KubeCore
import KubeModels
import Testing

@Suite("Round trip over the upstream fixtures")
struct RoundTripTests {
    /// Fixtures whose kind is generated but that cannot round-trip, with the reason.
    /// Keep this list in the closing note of the issue; the test fails if it changes.
    static let knownFailures: [String: String] = [:]

    @Test("every fixture of a generated kind decodes and re-encodes to the same JSON value")
    func roundTrip() throws {
        let fixtures = try FixtureLoader.all()
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
        print("round trip: \(fixtures.count) fixtures, \(covered.count) of generated kinds, \(covered.count - failures.count) round-trip, \(skipped.count) not generated (versions absent from the v1.37 definitions)")
        for file in skipped { print("  not generated: \(file)") }
        for (file, reason) in failures.sorted(by: { $0.key < $1.key }) { print("  FAILED \(file): \(reason)") }
        #expect(covered.count > 100)
        #expect(Set(failures.keys) == Set(Self.knownFailures.keys), "\(failures)")
    }

    @Test("Codable bridging agrees with the direct JSON conversion")
    func codableBridge() throws {
        let fixture = try #require(try FixtureLoader.all().first { $0.file == "core.v1.Pod.json" })
        let pod = try CoreV1.Pod(json: fixture.json)
        let data = try JSONEncoder().encode(pod)
        let decoded = try JSONDecoder().decode(CoreV1.Pod.self, from: data)
        #expect(decoded == pod)
        #expect(try JSON.parse(bytes: [UInt8](data)) == fixture.json)
    }
}
