import KubeCore
import KubeProtobuf
import Testing
import KubeTestSupport

/// Hostile and broken protobuf input gives errors, never crashes or huge allocations.
@Suite("Malformed protobuf input")
struct MalformedInputTests {
    static let magic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]
    /// typeMeta {apiVersion: "v1", kind: "ConfigMap"}, as an Unknown's field 1.
    static let configMapTypeMeta: [UInt8] = [0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09] + Array("ConfigMap".utf8)

    @Test("specific malformations give specific errors")
    func specificErrors() {
        let cases: [(String, [UInt8], ProtobufError)] = [
            ("no magic", Array("{\"kind\":\"ConfigMap\"}".utf8), .missingMagic),
            ("empty", [], .missingMagic),
            ("truncated varint", Self.magic + [0x0a, 0x80], .truncated),
            ("overlong varint", Self.magic + [0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01], .malformedVarint),
            ("huge length", Self.magic + [0x12, 0xff, 0xff, 0xff, 0xff, 0x0f], .lengthOutOfRange(0xffff_ffff)),
            ("group wire type", Self.magic + [0x0b], .unsupportedWireType(3)),
            ("field number zero", Self.magic + [0x02, 0x00], .invalidFieldNumber(0)),
            ("unknown kind", Self.magic + [0x0a, 0x0b, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x05] + Array("Nope1".utf8),
             .unknownKind(apiVersion: "v1", kind: "Nope1")),
            // ConfigMap.metadata (field 1) as a varint.
            ("wrong wire type", Self.magic + Self.configMapTypeMeta + [0x12, 0x02, 0x08, 0x01],
             .wrongWireType(message: "api.core.v1.ConfigMap", field: 1, wireType: 0)),
            // ConfigMap.data entry whose key is not UTF-8.
            ("invalid UTF-8", Self.magic + Self.configMapTypeMeta + [0x12, 0x06, 0x12, 0x04, 0x0a, 0x02, 0xff, 0xfe],
             .invalidUTF8(message: "api.core.v1.ConfigMap", field: "data")),
        ]
        for (name, bytes, expected) in cases {
            #expect(throws: expected, "\(name)") { try KubeProtobuf.decode(bytes) }
        }
    }

    @Test("deep nesting is refused, not a stack overflow")
    func deepNesting() {
        // JSONSchemaProps-like self-nesting does not exist in the built-in types; a RawExtension
        // holding an enveloped object holding a RawExtension ... does (WatchEvent in WatchEvent).
        func field(_ number: UInt8, _ payload: [UInt8]) -> [UInt8] { [number << 3 | 2] + Self.varint(payload.count) + payload }
        let typeMeta = field(1, field(1, Array("v1".utf8)) + field(2, Array("WatchEvent".utf8)))
        var inner = field(1, Array("ADDED".utf8))
        for _ in 0..<150 {
            let envelope = Self.magic + typeMeta + field(2, inner)
            inner = field(1, Array("ADDED".utf8)) + field(2, field(1, envelope))  // WatchEvent{type, object: RawExtension{raw}}
        }
        #expect(throws: ProtobufError.tooDeep) { try KubeProtobuf.decodeWatchEvent(inner) }
    }

    @Test("JSON that does not fit the schema is an error naming the path")
    func badJSON() {
        let bad: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["a": 5]]
        #expect(throws: ProtobufError.invalidValue(path: "ConfigMap.data.a", reason: "expected string, got number")) {
            try KubeProtobuf.encode(bad)
        }
        let noKind: JSON = ["apiVersion": "example.com/v1", "kind": "Widget"]
        #expect(throws: ProtobufError.unknownKind(apiVersion: "example.com/v1", kind: "Widget")) { try KubeProtobuf.encode(noKind) }
        let overflow: JSON = ["apiVersion": "apps/v1", "kind": "Deployment", "spec": ["replicas": .int(1 << 40)]]
        #expect(throws: ProtobufError.self) { try KubeProtobuf.encode(overflow) }
    }

    /// Fuzz-style: every truncation and thousands of seeded random mutations of real
    /// documents decode or fail cleanly (the test passing at all is the assertion: no trap).
    @Test("truncated and mutated fixtures never crash the decoder")
    func mutations() throws {
        let pairs = try APIFixtures.all()
        var rng = SplitMix64(seed: 0x6b38_7300)
        var decodedCount = 0, failed = 0
        for pair in pairs.prefix(60) {
            let bytes = pair.protobuf
            for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
                if (try? KubeProtobuf.decode(Array(bytes[..<cut]), fallback: pair.type)) != nil { decodedCount += 1 } else { failed += 1 }
            }
            for _ in 0..<40 {
                var mutated = bytes
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let at = 4 + Int(rng.next() % UInt64(max(1, mutated.count - 4)))
                    if at < mutated.count { mutated[at] = UInt8(truncatingIfNeeded: rng.next()) }
                }
                if (try? KubeProtobuf.decode(mutated, fallback: pair.type)) != nil { decodedCount += 1 } else { failed += 1 }
            }
        }
        for _ in 0..<2000 {
            let length = Int(rng.next() % 64)
            let random = Self.magic + (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if (try? KubeProtobuf.decode(random)) != nil { decodedCount += 1 } else { failed += 1 }
            if (try? KubeProtobuf.decodeWatchEvent(Array(random.dropFirst(4)))) != nil { decodedCount += 1 } else { failed += 1 }
        }
        #expect(failed > 0 && decodedCount > 0)
    }

    static func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n), out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }
}

/// A seeded generator, so every run mutates the same bytes.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
