/// Query parameters of a server-side apply (PATCH with `application/apply-patch+yaml`).
public struct ApplyOptions: Sendable, Hashable {
    /// The field manager owning the applied fields (required by the server).
    public var fieldManager: String
    /// Take ownership of fields other managers own instead of failing with a conflict.
    public var force: Bool
    /// Validate without persisting.
    public var dryRun: Bool
    /// Unknown or duplicate fields: the server's default (Warn) when nil.
    public var fieldValidation: FieldValidation?

    /// The field manager of the C and Python APIs when the caller names none (the server
    /// requires one for an apply).
    public static let defaultFieldManager = "kubeclient"

    /// Apply options for a field manager.
    public init(fieldManager: String, force: Bool = false, dryRun: Bool = false, fieldValidation: FieldValidation? = nil) {
        self.fieldManager = fieldManager
        self.force = force
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
    }

    /// The query parameters, unencoded.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        items.append(("fieldManager", fieldManager))
        if force { items.append(("force", "true")) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation.rawValue)) }
        return items
    }
}
