/// The protobuf wire types Kubernetes messages use (groups, 3 and 4, never occur).
enum WireType: Int, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
}
