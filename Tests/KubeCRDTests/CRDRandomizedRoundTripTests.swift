import KubeCore
import KubeModels
import KubeTestSupport
import Testing

/// Randomized: every sample with random parts removed (members, elements, whole subtrees) either
/// fails to decode (a required field went) or writes back exactly what it read. This is the round
/// trip the sample tests check, over thousands of shapes nobody wrote down.
@Suite("CRD models round-trip, randomized")
struct CRDRandomizedRoundTripTests {
    /// Every path to a value inside `json` (object keys and array indexes).
    enum Step: Hashable { case key(String), index(Int) }

    static func paths(_ json: JSON, prefix: [Step] = []) -> [[Step]] {
        var out: [[Step]] = []
        switch json {
        case .object(let members):
            for key in members.keys.sorted() {
                let path = prefix + [.key(key)]
                out.append(path)
                out += paths(members[key] ?? .null, prefix: path)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                let path = prefix + [.index(index)]
                out.append(path)
                out += paths(element, prefix: path)
            }
        default:
            break
        }
        return out
    }

    /// `json` without the value at `path`.
    static func removing(_ path: ArraySlice<Step>, from json: JSON) -> JSON {
        guard let first = path.first else { return json }
        switch (first, json) {
        case (.key(let key), .object(var members)):
            if path.count == 1 {
                members[key] = nil
            } else if let child = members[key] {
                members[key] = removing(path.dropFirst(), from: child)
            }
            return .object(members)
        case (.index(let index), .array(var elements)) where elements.indices.contains(index):
            if path.count == 1 {
                elements.remove(at: index)
            } else {
                elements[index] = removing(path.dropFirst(), from: elements[index])
            }
            return .array(elements)
        default:
            return json
        }
    }

    static func check<Model: KubeModel>(_ type: Model.Type, _ sample: String, rounds: Int,
                                        random: inout SeededGenerator) throws -> (decoded: Int, refused: Int) {
        let original = try CRDSamples.json(sample)
        var decoded = 0, refused = 0
        for _ in 0..<rounds {
            var mutated = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let all = paths(mutated)
                guard let path = all.randomElement(using: &random) else { break }
                mutated = removing(path[...], from: mutated)
            }
            let model: Model
            do {
                model = try Model(json: mutated)
            } catch {
                refused += 1
                continue
            }
            decoded += 1
            #expect(model.toJSON() == mutated, "\(sample): \(mutated.serialized())")
        }
        return (decoded, refused)
    }

    @Test("samples with random parts removed decode to models that write back the same JSON")
    func removals() throws {
        var random = SeededGenerator(defaultSeed: 1515)
        var decoded = 0
        decoded += try Self.check(SamplecrdV1.Network.self, "network", rounds: 300, random: &random).decoded
        decoded += try Self.check(SamplecrdV1.NetworkList.self, "networklist", rounds: 200, random: &random).decoded
        decoded += try Self.check(StableV1.CronTab.self, "crontab-v1", rounds: 200, random: &random).decoded
        decoded += try Self.check(StableV1.CronTab.self, "crontab-nulls", rounds: 200, random: &random).decoded
        decoded += try Self.check(CertManagerV1.Certificate.self, "certificate", rounds: 600, random: &random).decoded
        decoded += try Self.check(AppsExampleV1.Release.self, "release", rounds: 600, random: &random).decoded
        decoded += try Self.check(LegacyV1.Widget.self, "widget", rounds: 300, random: &random).decoded
        #expect(decoded > 1000, "too few mutations decoded to test anything: \(decoded)")
    }
}
