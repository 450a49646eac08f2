/// A JSON value that cannot be an API object (not an object, or a typed field of the wrong type).
public struct UnstructuredError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
