/// How the server treats unknown or duplicate fields in a write (`fieldValidation`,
/// Kubernetes 1.27+): drop them silently, drop them with a warning (the server's default),
/// or refuse the request.
public enum FieldValidation: String, Sendable, Hashable {
    case ignore = "Ignore"
    case warn = "Warn"
    case strict = "Strict"
}
