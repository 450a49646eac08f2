import KubeProtobuf
import KubeTestSupport

extension APIFixtures.Fixture {
    /// The fixture's type for the codec (some fixtures' envelopes leave typeMeta empty).
    var type: ProtobufTypeName { ProtobufTypeName(apiVersion: apiVersion, kind: kind) }
}
