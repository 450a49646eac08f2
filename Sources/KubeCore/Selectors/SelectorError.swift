/// A label or field selector that could not be parsed or built.
///
/// The message names the offending token and its position so that it can be shown
/// to a user as is (it becomes a 400 BadRequest message on the test server).
public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The selector text (or a rendering of the JSON selector) that failed.
    public var selector: String
    /// What is wrong, in one line.
    public var message: String

    /// An error about `selector`.
    public init(selector: String, message: String) {
        self.selector = selector
        self.message = message
    }

    /// The message, ready to show to a user.
    public var description: String {
        "unable to parse selector \"\(selector)\": \(message)"
    }
}
