/// Query parameters of a PATCH request (`metav1.PatchOptions`) other than server-side apply.
public struct PatchOptions: Sendable, Hashable {
    /// The actor making the change, recorded in managedFields.
    public var fieldManager: String?
    /// Validate without persisting.
    public var dryRun: Bool
    /// Unknown or duplicate fields: the server's default (Warn) when nil.
    public var fieldValidation: FieldValidation?

    /// Patch options; all unset by default.
    public init(fieldManager: String? = nil, dryRun: Bool = false, fieldValidation: FieldValidation? = nil) {
        self.fieldManager = fieldManager
        self.dryRun = dryRun
        self.fieldValidation = fieldValidation
    }

    /// The query parameters, unencoded.
    public var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation.rawValue)) }
        return items
    }
}
