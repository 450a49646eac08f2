@testable import KubeCore

/// Parses JSON text in tests; a parse failure is a test bug, reported through the thrown error.
func json(_ text: String) throws -> JSON {
    try JSON.parse(text)
}
