/// What a reconcile function asks the controller to do with its key next.
/// (A failure is reported by throwing: the key is retried with the queue's backoff.)
public enum ReconcileResult: Sendable, Hashable {
    /// Done: the key's failure history is forgotten.
    case success
    /// Process the key again after the rate limiter's backoff (counts as a retry).
    case requeue
    /// Process the key again after the given delay; the failure history is forgotten.
    case requeueAfter(Duration)
}
