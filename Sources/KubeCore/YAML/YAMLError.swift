/// A YAML document that could not be read, with the 1-based line and column of the problem.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// 1-based line of the problem (0 when unknown).
    public var line: Int
    /// 1-based column of the problem (0 when unknown).
    public var column: Int

    /// An error at a 1-based line and column (0 when unknown).
    public init(message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    /// The message, ready to show to a user.
    public var description: String {
        line > 0 ? "yaml: line \(line), column \(column): \(message)" : "yaml: \(message)"
    }
}
