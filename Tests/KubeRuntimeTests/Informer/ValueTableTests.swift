import Foundation
import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

/// The shared dictionary of repeated values behind the cache's compact form.
@Suite("Compact object form: shared values")
struct ValueTableTests {
    /// A pod-like object whose repeated parts come from `template` and unique parts from `n`.
    static func object(_ n: Int, template: Int, extra: String = "") -> String {
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p-\(n)","namespace":"ns-\(template)",\
        "uid":"uid-\(n)-\(n &* 7919)","resourceVersion":"\(1000 + n)","labels":{"app":"app-\(template)",\
        "tier":"backend-tier"},"managedFields":[{"manager":"kubelet","operation":"Update",\
        "fieldsV1":{"f:status":{"f:phase":{},"f:conditions":{"k:{\\"type\\":\\"Ready\\"}":{".":{}}}}}}]},\
        "spec":{"containers":[{"name":"main","image":"registry.example.com/app-\(template):v1",\
        "resources":{"limits":{"cpu":"500m","memory":"512Mi"}},"env":[{"name":"ID","value":"\(n)"}]}],\
        "nodeName":"node-\(n % 3)"\(extra)}}
        """
    }

    /// Encodes with `table` and expands again (the codec on its own, no `ObjectStorage`);
    /// `owner` stands for the object's key (each text its own object unless given).
    static func roundTrip(_ text: [UInt8], _ table: ValueTable, owner: UInt32? = nil) throws -> (stored: Int, json: [UInt8]) {
        let owner = owner ?? UInt32(truncatingIfNeeded: text.hashValue)
        var out = [UInt8](repeating: 0, count: max(text.count, 1))
        let encoded = try text.withUnsafeBufferPointer { input in
            try out.withUnsafeMutableBufferPointer { o in
                try table.withWriter { (w) throws(JSONError) -> CompactObjectCodec.Encoded? in
                    w.pointee.owner = owner
                    return try CompactObjectCodec.encode(input, skipping: nil, tokenize: true, values: w, into: o.baseAddress!)
                }
            }
        }
        guard let encoded else { return (text.count, text) }
        var json = [UInt8](repeating: 0, count: encoded.jsonCount)
        let written = out.withUnsafeBufferPointer { stored in
            json.withUnsafeMutableBufferPointer { j in
                CompactObjectCodec.decode(UnsafeBufferPointer(rebasing: stored[0..<encoded.count]), into: j.baseAddress!,
                                          capacity: encoded.jsonCount, values: table)
            }
        }
        #expect(written == encoded.jsonCount)
        return (encoded.count, json)
    }

    @Test("repeated values become references and expand back byte for byte")
    func repeatedValues() throws {
        let table = ValueTable()
        var sizes: [Int] = []
        for n in 0..<40 {
            let text = Array(Self.object(n, template: n % 2).utf8)
            let (stored, json) = try Self.roundTrip(text, table)
            #expect(json == text, "object \(n)")
            sizes.append(stored)
        }
        // From the third object of a template on, its repeated parts are references.
        #expect(sizes[39] < sizes[0] * 2 / 3)
        #expect(table.usage.entries > 5)
    }

    @Test("values seen once are not interned")
    func uniqueValuesStayInline() throws {
        let table = ValueTable()
        for n in 0..<200 {
            let text = Array("{\"metadata\":{\"name\":\"unique-name-\(n)\",\"uid\":\"uid-\(n)-\(n * 31)\"}}".utf8)
            #expect(try Self.roundTrip(text, table).json == text)
        }
        #expect(table.usage.entries == 0)
    }

    @Test("new versions of one object do not grow the table")
    func versionsOfOneObject() throws {
        let table = ValueTable()
        for version in 0..<50 {
            let text = Array(Self.object(7, template: 7, extra: ",\"status\":{\"phase\":\"Running\",\"rv\":\"\(version)\"}").utf8)
            #expect(try Self.roundTrip(text, table, owner: 7).json == text)
        }
        #expect(table.usage.entries == 0)
        // Another object holding the same values shares them.
        let other = Array(Self.object(8, template: 7).utf8)
        #expect(try Self.roundTrip(other, table, owner: 8).json == other)
        #expect(table.usage.entries > 0)
    }

    @Test("a full table keeps new values inline and still round-trips")
    func boundedTable() throws {
        let table = ValueTable(maxEntries: 4, maxBytes: 1 << 20)
        for n in 0..<50 {
            let text = Array(Self.object(n, template: n % 5).utf8)
            #expect(try Self.roundTrip(text, table).json == text)
        }
        #expect(table.usage.entries == 4)
        let tiny = ValueTable(maxEntries: 1000, maxBytes: 64)
        for n in 0..<20 {
            let text = Array(Self.object(n, template: 0).utf8)
            #expect(try Self.roundTrip(text, tiny).json == text)
        }
    }

    @Test("objects encoded before and after their values were interned are equal and hash alike")
    func equalityAcrossEncodings() throws {
        // A template of its own, so the first object is encoded before anything of it is interned.
        let marker = "-eq-\(UInt64.random(in: 0..<UInt64.max))"
        let text = Self.object(1, template: 1, extra: ",\"note\":\"value\(marker)\",\"list\":[\"x\(marker)\",{\"y\":\"z\(marker)\"}]")
        let first = try CachedObject(bytes: Array(text.utf8))
        // Other objects holding the same values get them interned.
        for n in 2...3 {
            _ = try CachedObject(bytes: Array(text.replacingOccurrences(of: "\"p-1\"", with: "\"p-\(n)\"").utf8))
        }
        let third = try CachedObject(bytes: Array(text.utf8))
        #expect(third.storedByteCount < first.storedByteCount)
        #expect(first == third)
        #expect(first.hashValue == third.hashValue)
        #expect(Set([first, third]).count == 1)
        #expect(first.bytes == third.bytes)
        let other = try CachedObject(bytes: Array(text.replacingOccurrences(of: "value-eq", with: "valuX-eq").utf8))
        #expect(other != third)
        #expect(other.jsonByteCount == third.jsonByteCount)
    }

    @Test("objects encoded without shared values equal the shared form of the same JSON")
    func withoutSharing() throws {
        let marker = UInt64.random(in: 0..<UInt64.max)
        let texts = (0..<4).map { Array(Self.object($0, template: 3, extra: ",\"m\":\"plain-\(marker)\"").utf8) }
        let shared = try texts.map { try CachedObject(bytes: $0) }
        let plain = try texts[3].withUnsafeBufferPointer { try CachedObject(borrowing: $0, dropManagedFields: false, shareValues: false) }
        #expect(plain.bytes == texts[3])
        #expect(plain == shared[3])
        #expect(plain.hashValue == shared[3].hashValue)
        #expect(plain.storedByteCount > shared[3].storedByteCount)
        let dropped = try texts[2].withUnsafeBufferPointer { try CachedObject(borrowing: $0, dropManagedFields: true, shareValues: false) }
        #expect(try dropped.json()["metadata"]?["managedFields"] == nil)
        #expect(dropped.name == "p-2")
    }

    @Test("escapes, non-ASCII, invalid UTF-8, deep nesting and huge values round-trip")
    func awkwardValues() throws {
        let huge = String(repeating: "0123456789abcdef", count: 1 << 16)
        let deep = String(repeating: "[", count: 200) + "\"deep-value\"" + String(repeating: "]", count: 200)
        let texts: [[UInt8]] = [
            Array(#"{"metadata":{"name":"e"},"s":"quote \" backslash \\ slash \/ \u00e9 \ud834\udd1e tab\t","k\"ey":"v\\"}"#.utf8),
            Array("{\"metadata\":{\"name\":\"u\"},\"ünïcode-key\":\"värde ✓ 𝄞\",\"arr\":[\"värde ✓ 𝄞\",\"värde ✓ 𝄞\"]}".utf8),
            Array("{\"metadata\":{\"name\":\"h\"},\"a\":\"\(huge)\",\"b\":\"\(huge)\",\"c\":[\"\(huge)\"]}".utf8),
            Array("{\"metadata\":{\"name\":\"d\"},\"x\":\(deep),\"y\":\(deep)}".utf8),
            Array("{\"metadata\":{\"name\":\"bad\"},\"s\":\"".utf8) + [0xC3, 0x28, 0xF5, 0xFF, 0xFD, 0x00, 0x01] + Array("\"}".utf8),
        ]
        let table = ValueTable()
        for text in texts {
            for round in 0..<3 {
                #expect(try Self.roundTrip(text, table).json == text, "round \(round): \(text.prefix(40))")
                let cached = try CachedObject(bytes: text)
                #expect(cached.bytes == text)
                #expect(cached.jsonByteCount == text.count)
            }
        }
    }

    @Test("seeded random objects with shared parts round-trip exactly")
    func randomSharedRoundTrip() throws {
        var rng = SeededGenerator(defaultSeed: 17)
        let pieces = ["\"a\"", "\"shared-string-value\"", "\"värde ✓\"", "\"esc\\\"aped\\\\\"", "{\"cpu\":\"500m\",\"memory\":\"1Gi\"}",
                      "[1,2,3,4,5,6]", "{}", "[]", "null", "true", "-1.5e3", "{\"k\":{\"k\":{\"k\":[\"deep-shared\"]}}}",
                      "\"\\ud834\\udd1e surrogate pair\"", "\"registry.example.com/x/y:v1\""]
        func value(_ depth: Int) -> String {
            let r = rng.next() % (depth > 4 ? 3 : 6)
            switch r {
            case 0, 1: return pieces[Int(rng.next() % UInt64(pieces.count))]
            case 2: return "\"unique-\(rng.next())\""
            case 3: return "[" + (0..<Int(rng.next() % 4)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            default:
                let keys = ["name", "image", "labels", "x-unknown-key", "k:{\"uid\":\"x\"}", "f:spec", "ünï"]
                var seen = Set<String>()
                var members: [String] = []
                for _ in 0..<Int(rng.next() % 5) {
                    let key = keys[Int(rng.next() % UInt64(keys.count))]
                    guard seen.insert(key).inserted else { continue }
                    members.append("\"\(key.replacingOccurrences(of: "\"", with: "\\\""))\":\(value(depth + 1))")
                }
                return "{" + members.joined(separator: ",") + "}"
            }
        }
        let table = ValueTable()
        for n in 0..<400 {
            var text = "{\"metadata\":{\"name\":\"o\(n)\"}"
            for m in 0..<Int(rng.next() % 6) { text += ",\"m\(m)\":\(value(0))" }
            text += "}"
            let bytes = Array(text.utf8)
            #expect(try Self.roundTrip(bytes, table).json == bytes, "seed \(rng.seed) object \(n): \(text)")
            #expect(try CachedObject(bytes: bytes).bytes == bytes, "seed \(rng.seed) object \(n)")
        }
    }

    @Test("threads encoding and reading at once see exact objects")
    func concurrentEncodeAndRead() async throws {
        let marker = UInt64.random(in: 0..<UInt64.max)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    var failures = 0
                    var made: [(CachedObject, [UInt8])] = []
                    for n in 0..<300 {
                        let text = Array(Self.object(n * 4 + thread, template: n % 7,
                                                     extra: ",\"m\":\"marker-\(marker)-\(n % 5)\"").utf8)
                        let object = try CachedObject(bytes: text)
                        made.append((object, text))
                        // Read objects made earlier, whose references may point at entries other threads added.
                        let (old, oldText) = made[n / 2]
                        if old.bytes != oldText || object.bytes != text { failures += 1 }
                    }
                    return failures
                }
            }
            var total = 0
            for try await failures in group { total += failures }
            return total
        }
        #expect(results == 0)
    }
}
