/// A JSON value that cannot be an API object (not an object, or a typed field of the wrong type).
public struct UnstructuredError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in one line.
    public var message: String

    /// An error with the given message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message, ready to show to a user.
    public var description: String { message }
}
