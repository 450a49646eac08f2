import Testing
@testable import KubeCore
import KubeTestSupport

/// Random inputs: the parsers must return a value or an error, never crash or hang, and what
/// they accept must survive a round trip through the canonical form.
@Suite("Robustness on random input")
struct RobustnessTests {
    @Test("random selector text either fails cleanly or round-trips through its canonical form")
    func selectors() {
        var rng = SeededGenerator(defaultSeed: 23)
        let alphabet = Array("ab=!(), in notin x.y/z-_1<>\\\t")
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0..<24, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "a" })
            if let selector = try? LabelSelector(parsing: text) {
                #expect((try? LabelSelector(parsing: selector.description)) == selector, "\(text.debugDescription)")
            }
            if let selector = try? FieldSelector(parsing: text) {
                #expect((try? FieldSelector(parsing: selector.description)) == selector, "\(text.debugDescription)")
            }
        }
    }

    @Test("mutated YAML either parses or reports a positioned error")
    func yaml() {
        var rng = SeededGenerator(defaultSeed: 23)
        let base = Array("a: &x {b: [1, 'two', \"3\"], c: null}\nd:\n- *x\n- e: |\n    text\n---\nf: !!str 4\n".utf8)
        let noise = Array(":-[]{}&*!|>'\"#%@,? \n\t".utf8)
        for _ in 0..<2_000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let index = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[index] = noise.randomElement(using: &rng) ?? 0x20
                case 1: bytes.insert(noise.randomElement(using: &rng) ?? 0x20, at: index)
                default: if bytes.count > 1 { bytes.remove(at: index) }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let documents = try YAML.parseDocuments(text)
                for document in documents {
                    #expect(try YAML.parse(YAML.emit(document)) == document || containsNaN(document), "\(text.debugDescription)")
                }
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("random JSON patches on random documents never crash, and add then remove restores the document")
    func jsonPatch() throws {
        var rng = SeededGenerator(defaultSeed: 23)
        let keys = ["a", "b", "c", "~", "/"]
        func randomDocument(_ depth: Int) -> JSON {
            if depth > 2 { return .int(Int64.random(in: 0..<5, using: &rng)) }
            if Bool.random(using: &rng) {
                var members: [String: JSON] = [:]
                for key in keys where Bool.random(using: &rng) { members[key] = randomDocument(depth + 1) }
                return .object(members)
            }
            return .array((0..<Int.random(in: 0..<3, using: &rng)).map { _ in randomDocument(depth + 1) })
        }
        func randomPointer() -> String {
            (0..<Int.random(in: 0..<4, using: &rng)).map { _ in
                "/" + (["a", "b", "~0", "~1", "0", "1", "-", "9"].randomElement(using: &rng) ?? "a")
            }.joined()
        }
        let ops = ["add", "remove", "replace", "move", "copy", "test"]
        for _ in 0..<3_000 {
            let document = randomDocument(0)
            let operation: JSON = ["op": .string(ops.randomElement(using: &rng) ?? "add"), "path": .string(randomPointer()),
                                   "from": .string(randomPointer()), "value": randomDocument(2)]
            _ = try? JSONPatch.apply([operation], to: document)

            // A fresh member added and removed again leaves the document as it was.
            if case .object = document {
                let roundTrip: JSON = [["op": "add", "path": "/fresh~1key", "value": 1], ["op": "remove", "path": "/fresh~1key"]]
                #expect(try JSONPatch.apply(roundTrip, to: document) == document)
            }
        }
    }

    private func containsNaN(_ value: JSON) -> Bool {
        switch value {
        case .double(let d): return d.isNaN
        case .array(let items): return items.contains(where: containsNaN)
        case .object(let members): return members.values.contains(where: containsNaN)
        default: return false
        }
    }
}
