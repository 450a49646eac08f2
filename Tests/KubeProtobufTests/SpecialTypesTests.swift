import KubeCore
@testable import KubeProtobuf
import Testing

/// The types whose JSON is not an object of their protobuf fields, and presence.
@Suite("Protobuf special types and presence")
struct SpecialTypesTests {
    /// Encodes `object` and decodes it back.
    func roundTrip(_ object: JSON) throws -> JSON {
        try KubeProtobuf.decode(try KubeProtobuf.encode(object))
    }

    @Test("IntOrString, Quantity, Time and MicroTime keep their JSON forms")
    func specialForms() throws {
        let lease: JSON = ["apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                           "metadata": ["name": "l", "creationTimestamp": "2024-05-06T07:08:09Z"],
                           "spec": ["leaseDurationSeconds": 15, "acquireTime": "2024-05-06T07:08:09.123456Z"]]
        #expect(try roundTrip(lease) == lease)
        let service: JSON = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "s"],
                             "spec": ["ports": [["port": 80, "targetPort": "http"], ["port": 81, "targetPort": 8081]]]]
        #expect(try roundTrip(service) == service)
        let pod: JSON = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"],
                         "spec": ["containers": [["name": "c", "resources": ["limits": ["cpu": "500m", "memory": "1Gi"]]]]]]
        #expect(try roundTrip(pod) == pod)
        let pdb: JSON = ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "x"],
                         "spec": ["minAvailable": "50%", "maxUnavailable": 0]]
        #expect(try roundTrip(pdb) == pdb)
        // Go's Quantity also unmarshals a JSON number; it comes back as its string form.
        let numeric: JSON = ["apiVersion": "v1", "kind": "ResourceQuota", "spec": ["hard": ["pods": 10]]]
        #expect(try roundTrip(numeric)[path: ["spec", "hard", "pods"]] == "10")
    }

    /// metav1.Duration is in the schema (no served GA kind has a field of it).
    @Test("Go duration text formats and parses as time.Duration does")
    func durationText() {
        let cases: [(Int64, String)] = [
            (0, "0s"), (1_500_000_000, "1.5s"), (5_400_000_000_000, "1h30m0s"), (1_500_000, "1.5ms"),
            (100, "100ns"), (2_000, "2µs"), (-180_000_000_000, "-3m0s"), (259_200_500_000_000, "72h0m0.5s"),
        ]
        for (nanos, text) in cases {
            #expect(GoDuration.format(nanos) == text)
            #expect(GoDuration.parse(text) == nanos)
        }
        #expect(GoDuration.parse("1h30m") == 5_400_000_000_000)
        #expect(GoDuration.parse("1x") == nil)
        #expect(GoDuration.parse("") == nil)
    }

    @Test("explicit zeros survive where Go keeps them (pointers, required fields); other zeros are dropped")
    func presence() throws {
        let deployment: JSON = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "d", "generateName": ""],
                                "spec": ["replicas": 0, "minReadySeconds": 0, "paused": false,
                                         "template": ["spec": ["automountServiceAccountToken": false,
                                                               "containers": [["name": "c", "ports": [["containerPort": 0]]]]]]]]
        let back = try roundTrip(deployment)
        #expect(back[path: ["spec", "replicas"]] == 0, "a pointer: explicit zero kept")
        #expect(back[path: ["spec", "template", "spec", "automountServiceAccountToken"]] == false)
        #expect(back[path: ["spec", "template", "spec", "containers"]]?[0]?["ports"]?[0]?["containerPort"] == 0, "required: kept")
        #expect(back[path: ["spec", "minReadySeconds"]] == JSON?.none, "omitempty non-pointer: dropped as Go's JSON would")
        #expect(back[path: ["spec", "paused"]] == JSON?.none)
        #expect(back[path: ["metadata", "generateName"]] == JSON?.none)
    }

    @Test("a watch event carries its object as an enveloped protobuf document")
    func watchEvent() throws {
        let object: JSON = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "w", "resourceVersion": "7"], "data": ["a": "b"]]
        let payload = try KubeProtobuf.encodeWatchEvent(type: "MODIFIED", object: object)
        let event = try KubeProtobuf.decodeWatchEvent(payload)
        #expect(event == ["type": "MODIFIED", "object": object])
        // A custom resource has no schema: its object is embedded as JSON, as for any RawExtension.
        let widget: JSON = ["apiVersion": "example.com/v1", "kind": "Widget", "spec": ["size": 3]]
        #expect(try KubeProtobuf.decodeWatchEvent(try KubeProtobuf.encodeWatchEvent(type: "ADDED", object: widget))["object"] == widget)
        #expect(KubeProtobuf.frame([1, 2, 3]) == [0, 0, 0, 3, 1, 2, 3])
    }
}
