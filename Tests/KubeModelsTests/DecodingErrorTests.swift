import KubeCore
import KubeModels
import Testing

@Suite("Decoding bad JSON")
struct DecodingErrorTests {
    @Test("a wrongly typed field names its JSON path")
    func wrongType() throws {
        let json = try JSON.parse(#"{"spec":{"containers":[{"name":"a","ports":[{"containerPort":"eighty"}]}]}}"#)
        do {
            _ = try CoreV1.Pod(json: json)
            Issue.record("decoded")
        } catch {
            #expect(error.pathString == "spec.containers[0].ports[0].containerPort")
            #expect(error.description == "spec.containers[0].ports[0].containerPort: expected integer, got string")
        }
    }

    @Test("a missing required field names its JSON path")
    func missingRequired() throws {
        let json = try JSON.parse(#"{"spec":{"containers":[{"image":"nginx"}]}}"#)
        #expect(throws: JSONDecodingError("required field is missing", path: [.key("spec"), .key("containers"), .index(0), .key("name")])) {
            try CoreV1.Pod(json: json)
        }
    }

    @Test("unknown enum values and unknown fields are kept or dropped as the API server does")
    func lenient() throws {
        let json = try JSON.parse(#"{"spec":{"restartPolicy":"Sometimes","futureField":1,"containers":[]},"status":{"phase":"Hibernating"}}"#)
        let pod = try CoreV1.Pod(json: json)
        #expect(pod.spec?.restartPolicy == "Sometimes")
        #expect(pod.spec?.restartPolicy != .always)
        #expect(pod.status?.phase?.rawValue == "Hibernating")
        #expect(pod.toJSON()["spec"]?["futureField"] == nil)
        #expect(pod.toJSON()["spec"]?["restartPolicy"] == "Sometimes")
    }

    @Test("a bad quantity, time or integer overflow is an error, not a crash")
    func badScalars() throws {
        let quantity = try JSON.parse(#"{"resources":{"limits":{"cpu":"lots"}},"name":"a"}"#)
        #expect(throws: JSONDecodingError.self) { try CoreV1.Container(json: quantity) }
        let time = try JSON.parse(#"{"metadata":{"creationTimestamp":"yesterday"}}"#)
        do {
            _ = try CoreV1.ConfigMap(json: time)
            Issue.record("decoded")
        } catch {
            #expect(error.pathString == "metadata.creationTimestamp")
        }
        let overflow = try JSON.parse(#"{"spec":{"replicas":9999999999}}"#)
        #expect(throws: JSONDecodingError.self) { try AppsV1.Deployment(json: overflow) }
        #expect(throws: JSONDecodingError.self) { try CoreV1.Pod(json: .array([])) }
    }

    @Test("null reads as absent; absent optional fields are not written")
    func nulls() throws {
        let pod = try CoreV1.Pod(json: JSON.parse(#"{"metadata":null,"spec":{"containers":[{"name":"a","image":null}]}}"#))
        #expect(pod.metadata == nil)
        #expect(try pod.toJSON() == JSON.parse(#"{"spec":{"containers":[{"name":"a"}]}}"#))
    }

    @Test("IntOrString reads both forms")
    func intOrString() throws {
        #expect(try IntOrString(json: 8080) == .int(8080))
        #expect(try IntOrString(json: "http") == .string("http"))
        #expect(IntOrString.string("25%").scaledValue(total: 10, roundUp: true) == 3)
        #expect(throws: JSONDecodingError.self) { try IntOrString(json: true) }
    }

    @Test("models built in code get their apiVersion and kind")
    func defaults() throws {
        let cm = CoreV1.ConfigMap(data: ["a": "b"], metadata: MetaV1.ObjectMeta(name: "x"))
        #expect(try cm.toJSON() == JSON.parse(#"{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"b"},"metadata":{"name":"x"}}"#))
        #expect(CoreV1.Pod.identity.plural == "pods")
        #expect(AppsV1.Deployment.identity.apiVersion == "apps/v1")
        #expect(CoreV1.Node.identity.namespaced == false)
    }
}

@Suite("Codable over JSON values")
struct JSONValueCodingTests {
    struct Custom: Codable, Equatable {
        struct Inner: Codable, Equatable { var count: Int32; var ratio: Double? }
        var name: String
        var tags: [String]?
        var inner: Inner?
        var meta: MetaV1.ObjectMeta?
        var free: JSON?
        var quantity: Quantity?
    }

    @Test("a plain Codable type round-trips through JSONValueEncoder and JSONValueDecoder")
    func roundTrip() throws {
        let value = Custom(name: "a", tags: ["x"], inner: .init(count: 3, ratio: 0.5),
                           meta: MetaV1.ObjectMeta(labels: ["k": "v"], name: "m"), free: ["any": [1, "two"]],
                           quantity: "1.5Gi")
        let json = try JSONValueEncoder().encode(value)
        #expect(json == (try JSON.parse(#"{"name":"a","tags":["x"],"inner":{"count":3,"ratio":0.5},"meta":{"name":"m","labels":{"k":"v"}},"free":{"any":[1,"two"]},"quantity":"1.5Gi"}"#)))
        #expect(try JSONValueDecoder().decode(Custom.self, from: json) == value)
    }

    @Test("decoding errors carry the coding path")
    func errors() throws {
        let json = try JSON.parse(#"{"name":"a","inner":{"count":"three"}}"#)
        do {
            _ = try JSONValueDecoder().decode(Custom.self, from: json)
            Issue.record("decoded")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["inner", "count"])
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Custom.self, from: ["tags": []]) }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Custom.self, from: ["name": "a", "inner": ["count": 5_000_000_000]])
        }
    }
}
