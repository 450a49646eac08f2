/// Who to act as (`Impersonate-*` headers), from the kubeconfig's `as`, `as-uid`,
/// `as-groups` and `as-user-extra`.
public struct Impersonation: Sendable, Hashable {
    /// `Impersonate-User`.
    public var user: String?
    /// `Impersonate-Uid`.
    public var uid: String?
    /// One `Impersonate-Group` header each.
    public var groups: [String]
    /// One `Impersonate-Extra-<key>` header per value.
    public var extra: [String: [String]]

    public init(user: String? = nil, uid: String? = nil, groups: [String] = [], extra: [String: [String]] = [:]) {
        self.user = user
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// True when nothing would be sent.
    public var isEmpty: Bool {
        (user ?? "").isEmpty && (uid ?? "").isEmpty && groups.isEmpty && extra.isEmpty
    }
}
