import KubeCore
import KubeModels
import Testing

/// Models generated from the CRDs in CRDs/ (by scripts/kubeclient-gen, committed in Generated/)
/// decode real-world-shaped objects and write them back as the same JSON value.
@Suite("CRD models round-trip")
struct CRDRoundTripTests {
    /// Decodes `Samples/<sample>.json` as `Model`, re-encodes it, and expects the same JSON value.
    @discardableResult
    static func roundTrip<Model: KubeModel>(_ type: Model.Type, _ sample: String) throws -> Model {
        let original = try CRDSamples.json(sample)
        let model = try Model(json: original)
        let written = model.toJSON()
        #expect(written == original, "\(sample): \(written.serialized()) != \(original.serialized())")
        // Through Codable too (what a user's Encoder/Decoder sees).
        #expect(try Model(json: written) == model)
        return model
    }

    @Test("the sample controller's Network, with fields its schema does not declare in a preserving status")
    func network() throws {
        let network = try Self.roundTrip(SamplecrdV1.Network.self, "network")
        #expect(network.spec?.cidr == "10.0.0.0/24")
        #expect(network.status?.state == "Synced")
        #expect(network.status?.unknownFields["lastSyncedBy"] == ["replica": "b", "attempts": 3])
        #expect(network.metadata?.creationTimestamp == Time(rfc3339: "2026-01-02T03:04:05Z"))
        let list = try Self.roundTrip(SamplecrdV1.NetworkList.self, "networklist")
        #expect(list.items.map { $0.metadata?.name } == ["a", "b"])
        #expect(list.metadata?.continueToken == "abc")
        // Present but empty stays present and empty.
        #expect(list.items[1].spec == SamplecrdV1.Network.Spec())
        #expect(list.items[1].status == SamplecrdV1.Network.Status())
    }

    @Test("every served version has its own model; required fields are not optional")
    func cronTabVersions() throws {
        let v1 = try Self.roundTrip(StableV1.CronTab.self, "crontab-v1")
        let image: String = v1.spec?.image ?? ""
        #expect(image == "my-awesome-cron-image")
        #expect(v1.spec?.replicas == 3)
        #expect(v1.spec?.suspend == false)
        let beta = try Self.roundTrip(StableV1beta1.CronTab.self, "crontab-v1beta1")
        let replicas: Int32? = beta.spec?.replicas
        #expect(replicas == Int32.max)
        #expect(StableV1.CronTab.identity.namespaced && !StableV1.CronPolicy.identity.namespaced)
        let policy = try Self.roundTrip(StableV1.CronPolicy.self, "cronpolicy")
        #expect(policy.spec?.allowedImages == [])
        #expect(StableV1.CronPolicy.identity.plural == "cronpolicies")
    }

    @Test("an explicit null in a nullable field is written back as null, and absent stays absent")
    func nullableFields() throws {
        var paused = try Self.roundTrip(StableV1.CronTab.self, "crontab-nulls")
        #expect(paused.spec?.suspend == nil)
        #expect(paused.toJSON()["spec"]?["suspend"] == .null)
        paused.spec?.suspend = true
        #expect(paused.toJSON()["spec"]?["suspend"] == true)
        let absent = try StableV1.CronTab(json: CRDSamples.json("crontab-v1"))
        var cleared = absent
        cleared.spec?.suspend = nil
        #expect(cleared.toJSON()["spec"]?["suspend"] == nil)
        // Null and absent are different objects.
        let fresh = StableV1.CronTab.Spec(cronSpec: "0 0 * * *", image: "cron:2")
        #expect(try StableV1.CronTab.Spec(json: ["cronSpec": "0 0 * * *", "image": "cron:2", "suspend": nil]) != fresh)
        #expect(try StableV1.CronTab.Spec(json: ["cronSpec": "0 0 * * *", "image": "cron:2"]) == fresh)
    }

    @Test("nested objects, arrays of objects, maps, enums with unknown values and date-times")
    func certificate() throws {
        let cert = try Self.roundTrip(CertManagerV1.Certificate.self, "certificate")
        let spec = cert.spec
        #expect(spec.issuerRef.name == "ca-issuer")
        #expect(spec.privateKey?.algorithm == .ecdsa)
        #expect(spec.usages == [.serverAuth, .clientAuth, ._1_3_6_1_5_5_7_3_1, "code signing"])
        #expect(spec.secretTemplate?.annotations?["my-secret-annotation-1"] == "foo")
        #expect(spec.otherNames?.count == 2)
        let conditions = try #require(cert.status?.conditions)
        #expect(conditions[0].status == .true && conditions[0].type == "Ready")
        #expect(conditions[1].status.rawValue == "Maybe")
        #expect(conditions[0].lastTransitionTime == Time(rfc3339: "2026-11-30T10:00:00Z"))
    }

    @Test("int-or-string, quantities, free-form values, keyword and odd property names")
    func release() throws {
        let release = try Self.roundTrip(AppsExampleV1.Release.self, "release")
        let spec = try #require(release.spec)
        #expect(spec.source.protocol == .oci)
        #expect(spec.source.default == true)
        #expect(spec.source.self_ == "/apis/x" && spec.source.init_ == "run" && spec.source.where == "eu")
        #expect(spec.source.type?.name == "chart" && spec.source.type?.name2 == "Chart")
        #expect(spec.source.xForwardedFor == "10.0.0.1" && spec.source._2fa == false)
        #expect(spec.maxUnavailable == .string("25%"))
        #expect(spec.port == .int(8080))
        #expect(spec.resources?.limits?["memory"] == Quantity("1.5Gi"))
        #expect(spec.resources?.storage?.string == "10Gi")
        #expect(spec.values?["ingress"]?["enabled"] == true)
        #expect(spec.hooks?["pre-install"]?.first?.command == ["sh", "-c", "echo hi"])
        #expect(spec.hooks?["post-delete"] == [])
        #expect(spec.matrix == [[1, 2.5], [], [-3e10]])
        #expect(spec.extra?.owner == "team-a" && spec.extra?.unknownFields["ticket"] == "OPS-1")
        #expect(release.status?.phase == .deployed)
        #expect(release.status?.history?.last?.deployedAt == Time(rfc3339: "2026-06-01T12:30:00Z"))
        #expect(AppsExampleV1.Release.Spec.Source.ProtocolValue.none.rawValue == "none")
        #expect(AppsExampleV1.Release.Spec.Source.ProtocolValue.default.rawValue == "default")
        #expect(AppsExampleV1.Release.Spec.Source.ProtocolValue.empty.rawValue == "")
    }

    @Test("schemas without a single type fall back to JSON and keep whatever they hold")
    func unsupported() throws {
        let widget = try Self.roundTrip(LegacyV1.Widget.self, "widget")
        #expect(widget.spec?.size == ["width": 3, "height": 4])
        #expect(widget.spec?.pair == ["a", 1])
        #expect(widget.spec?.label == "blue")
        #expect(widget.spec?.tags == ["a", nil])
    }

    @Test("a missing required field fails naming its path; null reads as absent")
    func decodingRules() throws {
        var json = try CRDSamples.json("certificate")
        json["spec"]?["issuerRef"] = ["kind": "Issuer"]
        do {
            _ = try CertManagerV1.Certificate(json: json)
            Issue.record("decoded without spec.issuerRef.name")
        } catch {
            #expect("\(error)".contains("issuerRef"))
            #expect("\(error)".contains("name"))
        }
        let network = try SamplecrdV1.Network(json: ["spec": ["cidr": nil, "gateway": "g"]])
        #expect(network.spec == SamplecrdV1.Network.Spec(gateway: "g"))
        #expect(network.toJSON() == ["spec": ["gateway": "g"]])
    }

    @Test("new models carry their apiVersion and kind, and the embedded CRD parses")
    func defaults() throws {
        let network = SamplecrdV1.Network(metadata: MetaV1.ObjectMeta(name: "n"), spec: .init(cidr: "10.0.0.0/8"))
        #expect(network.toJSON()["apiVersion"] == "samplecrd.k8s.io/v1")
        #expect(network.toJSON()["kind"] == "Network")
        let crd = try JSON.parse(SamplecrdV1.Network.customResourceDefinition)
        #expect(crd["metadata"]?["name"] == "networks.samplecrd.k8s.io")
        let widgetCRD = try JSON.parse(LegacyV1.Widget.customResourceDefinition)
        #expect(widgetCRD["spec"]?["group"] == "legacy.example.org")
        // The typed CustomResourceDefinition model holds each embedded CRD losslessly (the network
        // controller installs its CRD through it).
        for text in [SamplecrdV1.Network.customResourceDefinition, StableV1.CronTab.customResourceDefinition,
                     CertManagerV1.Certificate.customResourceDefinition, AppsExampleV1.Release.customResourceDefinition] {
            let json = try JSON.parse(text)
            #expect(try ApiextensionsV1.CustomResourceDefinition(json: json).toJSON() == json)
        }
    }
}
