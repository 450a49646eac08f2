import KubeCore
import KubeProtobuf
import Testing
import KubeTestSupport

/// The upstream fixtures populate every field of every type, so together they exercise
/// every message of the schema table that a served type reaches.
@Suite("Protobuf round trip over the upstream fixtures")
struct FixtureRoundTripTests {
    @Test("every .pb fixture decodes to the JSON value of its JSON fixture")
    func protobufDecodesToJSON() throws {
        let pairs = try APIFixtures.all()
        #expect(pairs.count == 193)
        var failures: [String] = []
        for pair in pairs {
            do {
                let decoded = try KubeProtobuf.decode(pair.protobuf, fallback: pair.type)
                if decoded != pair.json {
                    failures.append("\(pair.name): " + jsonDifferences(pair.json, decoded).joined(separator: "; "))
                }
            } catch {
                failures.append("\(pair.name): \(error)")
            }
        }
        for f in failures { print("  FAILED \(f)") }
        print("protobuf -> JSON: \(pairs.count - failures.count) of \(pairs.count) fixtures match")
        #expect(failures.isEmpty)
    }

    @Test("every JSON fixture encodes to protobuf that decodes back to the same JSON value")
    func jsonRoundTripsThroughProtobuf() throws {
        var failures: [String] = []
        let pairs = try APIFixtures.all()
        for pair in pairs {
            do {
                let decoded = try KubeProtobuf.decode(try KubeProtobuf.encode(pair.json, as: pair.type), fallback: pair.type)
                if decoded != pair.json {
                    failures.append("\(pair.name): " + jsonDifferences(pair.json, decoded).joined(separator: "; "))
                }
            } catch {
                failures.append("\(pair.name): \(error)")
            }
        }
        for f in failures { print("  FAILED \(f)") }
        print("JSON -> protobuf -> JSON: \(pairs.count - failures.count) of \(pairs.count) fixtures match")
        #expect(failures.isEmpty)
    }

    /// Go's marshaller writes fields in number order, map keys sorted, and non-pointer zero
    /// fields too. The fixtures populate every field, so for them our encoder (which writes
    /// what the JSON holds) reproduces Go's bytes exactly: asserted, as a guard on field
    /// order, envelope and special-type layout. (For objects with zero-valued non-pointer
    /// fields the bytes differ — Go writes them, the JSON has nothing to write — while the
    /// decoded JSON is the same.)
    @Test("encoding each JSON fixture gives Go's bytes, and re-encoding is stable")
    func byteIdentical() throws {
        let pairs = try APIFixtures.all()
        var different: [String] = []
        var unstable: [String] = []
        for pair in pairs {
            do {
                let fromJSON = try KubeProtobuf.encode(pair.json, as: pair.type)
                if fromJSON != pair.protobuf { different.append(pair.name) }
                let again = try KubeProtobuf.encode(try KubeProtobuf.decode(fromJSON, fallback: pair.type), as: pair.type)
                if again != fromJSON { unstable.append(pair.name) }
            } catch {
                unstable.append("\(pair.name): \(error)")
            }
        }
        print("JSON fixture -> protobuf: \(pairs.count - different.count) of \(pairs.count) byte-identical to Go's .pb")
        #expect(different.isEmpty, "\(different)")
        #expect(unstable.isEmpty, "\(unstable)")
    }
}
