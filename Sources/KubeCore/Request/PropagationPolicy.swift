/// How dependents are treated when their owner is deleted.
public enum PropagationPolicy: String, Sendable, Hashable, CaseIterable {
    /// Delete the owner now; the garbage collector deletes dependents afterwards.
    case background = "Background"
    /// Delete dependents first; the owner stays (with a deletionTimestamp) until they are gone.
    case foreground = "Foreground"
    /// Leave dependents alone (their owner references are removed).
    case orphan = "Orphan"
}
