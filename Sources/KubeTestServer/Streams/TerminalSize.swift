/// A terminal size as the client reports it on the resize channel (`{"Width":W,"Height":H}`):
/// kubectl sends one when the session starts and one per SIGWINCH.
public struct TerminalSize: Sendable, Hashable, CustomStringConvertible {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// "ROWS COLS", as `stty size` prints it.
    public var description: String { "\(height) \(width)" }
}
