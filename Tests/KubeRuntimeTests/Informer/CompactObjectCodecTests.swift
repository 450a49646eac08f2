import KubeClient
import KubeCore
import Testing
@testable import KubeRuntime
import KubeTestSupport

@Suite("Compact object form")
struct CompactObjectCodecTests {
    static let pod = """
    {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"prod","uid":"u-1",\
    "resourceVersion":"7","labels":{"app":"web","not-a-field-name":"x"},"managedFields":[{"manager":"kubectl",\
    "operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{}}}}}],\
    "annotations":{"note":"\\"quoted\\" {not a key}:","ünïcode-key":"värde ✓"}},\
    "spec":{"containers":[{"name":"c","image":"nginx","args":["name",":","\\\\"],"ports":[{"containerPort":80}]}],\
    "nodeName":"n1","priority":-1,"enableServiceLinks":true,"x":null,"y":1.5e3,"emptyObject":{},"emptyArray":[]}}
    """

    @Test("known keys become tokens and expand back to the same compact JSON")
    func roundTrip() throws {
        let object = try CachedObject(bytes: Array(Self.pod.utf8))
        #expect(object.bytes == Array(Self.pod.utf8))
        #expect(object.jsonByteCount == Self.pod.utf8.count)
        #expect(object.storedByteCount < object.jsonByteCount * 3 / 4)
        #expect(object.withJSONBytes { Array($0) } == object.bytes)
        #expect(object.jsonString == Self.pod)
        #expect(object.key == "prod/web-1")
        #expect(object.name == "web-1")
        #expect(object.namespace == "prod")
        #expect(object.resourceVersion == "7")
        #expect(object.uid == "u-1")
        #expect(object.labels == ["app": "web", "not-a-field-name": "x"])
    }

    @Test("whitespace is dropped, also between a key and its colon")
    func compacts() throws {
        let pretty = "{ \"metadata\" : { \"name\" :\n\"a\" , \"labels\" : { \"k\" : \"v w\" } } ,\t\"spec\" : [ 1 , 2 ] }"
        let object = try CachedObject(bytes: Array(pretty.utf8))
        #expect(object.jsonString == "{\"metadata\":{\"name\":\"a\",\"labels\":{\"k\":\"v w\"}},\"spec\":[1,2]}")
        #expect(try object.json() == JSON.parse(pretty))
    }

    @Test("bytes that could be mistaken for tokens keep the object untokenized")
    func invalidUTF8() throws {
        var bytes = Array("{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"".utf8)
        bytes += [0xF5, 0xFF, 0x01]
        bytes += Array("\"}}".utf8)
        let object = try CachedObject(bytes: bytes)
        #expect(object.bytes == bytes)
        #expect(object.storedByteCount == bytes.count)
    }

    @Test("managedFields is cut wherever it sits in metadata")
    func dropsManagedFields() throws {
        let managed = "\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:spec\":{}}}]"
        let cases: [(String, String)] = [
            ("{\"metadata\":{\(managed),\"name\":\"a\"},\"spec\":{}}", "{\"metadata\":{\"name\":\"a\"},\"spec\":{}}"),
            ("{\"metadata\":{\"name\":\"a\",\(managed),\"uid\":\"u\"}}", "{\"metadata\":{\"name\":\"a\",\"uid\":\"u\"}}"),
            ("{\"metadata\":{\"name\":\"a\",\(managed)}}", "{\"metadata\":{\"name\":\"a\"}}"),
            ("{ \"metadata\": { \"name\": \"a\",\n  \(managed) } }", "{\"metadata\":{\"name\":\"a\"}}"),
        ]
        for (input, expected) in cases {
            let object = try CachedObject(compactBytes: Array(input.utf8), dropManagedFields: true)
            #expect(object.jsonString == expected)
            let kept = try CachedObject(compactBytes: Array(input.utf8), dropManagedFields: false)
            #expect(try kept.json() == JSON.parse(input))
        }
    }

    @Test("malformed text is refused, not cached")
    func refusesMalformed() {
        let bad = [
            "{\"metadata\":{\"name\":\"a\"}", "{\"metadata\":{\"name\":\"a\"}}}", "{\"metadata\":{\"name\":\"a\"}}{}",
            "{\"metadata\":{\"name\":\"a\"},\"s\":\"unterminated}", "{\"metadata\":{\"name\":\"a\"}} 1",
            "{\"metadata\":{\"name\":\"a\"},\"x\":[1,2}",
        ]
        for text in bad {
            #expect(throws: KubeError.self, "\(text)") { try CachedObject(bytes: Array(text.utf8)) }
        }
    }

    @Test("equal objects are equal and hash alike, whatever their formatting")
    func equality() throws {
        let a = try CachedObject(bytes: Array(Self.pod.utf8))
        let b = try CachedObject(json: JSON.parse(Self.pod))
        let c = try CachedObject(bytes: Array(Self.pod.utf8).map { $0 == UInt8(ascii: "x") ? UInt8(ascii: "y") : $0 })
        #expect(try a.json() == b.json())
        #expect(a != c)
        #expect(Set([a, a]).count == 1)
    }

    @Test("every dictionary key round-trips through its token")
    func everyToken() throws {
        let table = KeyTokenTable.shared
        #expect(table.count > 1_500 && table.count <= KeyTokenTable.capacity)
        var text = "{\"metadata\":{\"name\":\"a\"},\"all\":{"
        for t in 0..<table.count {
            let start = Int(table.offsets[t])
            let end = Int(table.offsets[t + 1])
            if t > 0 { text += "," }
            text += String(decoding: table.expansions[start..<end], as: UTF8.self) + "\(t)"
        }
        text += "}}"
        let object = try CachedObject(bytes: Array(text.utf8))
        #expect(object.jsonString == text)
        #expect(object.storedByteCount < text.utf8.count / 2)
    }

    @Test("random objects round-trip exactly")
    func randomRoundTrip() throws {
        var rng = SeededGenerator(defaultSeed: 7)
        let table = KeyTokenTable.shared
        let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "é", "✓", "𝄞", "\n", ":", ",", "{", "}", "[", "]"]
        func key() -> String {
            if rng.next() % 3 == 0 { return text() }
            let t = Int(rng.next() % UInt64(table.count))
            let start = Int(table.offsets[t]) + 1
            let end = Int(table.offsets[t + 1]) - 2
            return String(decoding: table.expansions[start..<end], as: UTF8.self)
        }
        func text() -> String {
            var out = ""
            for _ in 0..<Int(rng.next() % 12) { out += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            return out
        }
        func value(_ depth: Int) -> JSON {
            switch rng.next() % (depth > 3 ? 4 : 6) {
            case 0: return .string(text())
            case 1: return .int(Int64(truncatingIfNeeded: rng.next()) % 100_000)
            case 2: return rng.next() % 2 == 0 ? .bool(true) : .null
            case 3: return .string(key())
            case 4: return .array((0..<Int(rng.next() % 4)).map { _ in value(depth + 1) })
            default:
                var members: [String: JSON] = [:]
                for _ in 0..<Int(rng.next() % 6) { members[key()] = value(depth + 1) }
                return .object(members)
            }
        }
        for n in 0..<300 {
            var object: [String: JSON] = ["metadata": ["name": .string("o\(n)"), "namespace": .string(text())]]
            for _ in 0..<Int(rng.next() % 8) { object[key()] = value(0) }
            let json = JSON.object(object)
            let cached = try CachedObject(json: json)
            #expect(cached.bytes == json.serializedBytes())
            #expect(cached.jsonByteCount == cached.bytes.count)
        }
    }
}

