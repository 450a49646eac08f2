/// The machine-readable `reason` of a metav1.Status. Open: unknown reasons from a server are kept.
public struct StatusReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let unknown = StatusReason("")
    public static let unauthorized = StatusReason("Unauthorized")
    public static let forbidden = StatusReason("Forbidden")
    public static let notFound = StatusReason("NotFound")
    public static let alreadyExists = StatusReason("AlreadyExists")
    public static let conflict = StatusReason("Conflict")
    public static let gone = StatusReason("Gone")
    public static let expired = StatusReason("Expired")
    public static let invalid = StatusReason("Invalid")
    public static let serverTimeout = StatusReason("ServerTimeout")
    public static let timeout = StatusReason("Timeout")
    public static let tooManyRequests = StatusReason("TooManyRequests")
    public static let badRequest = StatusReason("BadRequest")
    public static let methodNotAllowed = StatusReason("MethodNotAllowed")
    public static let notAcceptable = StatusReason("NotAcceptable")
    public static let unsupportedMediaType = StatusReason("UnsupportedMediaType")
    public static let internalError = StatusReason("InternalError")
    public static let serviceUnavailable = StatusReason("ServiceUnavailable")
    public static let requestEntityTooLarge = StatusReason("RequestEntityTooLarge")

    public var description: String { rawValue }
}
