/// A patch that could not be applied.
///
/// `kind` lets a server choose the status code: a malformed patch is a 400, a failed
/// `test` operation or a path that does not exist is a 422 in kube-apiserver.
public struct PatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the patch failed.
    public enum Kind: Sendable, Hashable {
        /// The patch itself is malformed (not an array of operations, unknown op, bad pointer, unknown directive, missing merge key).
        case invalidPatch
        /// A path the patch refers to does not exist in the document.
        case pathNotFound
        /// An RFC 6902 `test` operation did not hold.
        case testFailed
        /// The document has the wrong shape for the patch (e.g. patching a field of a string).
        case invalidDocument
        /// A strategic merge patch directive of the wrong form (`$retainKeys`, `$setElementOrder/…`,
        /// `$deleteFromPrimitiveList/…`): apimachinery's `ErrBadPatchFormatFor…` errors, which
        /// kube-apiserver answers with 400 where other strategic merge errors are a 500.
        case badDirectiveFormat
    }

    /// Why the patch failed.
    public var kind: Kind
    /// What is wrong, in one line.
    public var message: String

    /// A patch error of the given kind.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message, ready to show to a user.
    public var description: String { message }

    static func invalidPatch(_ message: String) -> PatchError { PatchError(.invalidPatch, message) }
    static func pathNotFound(_ message: String) -> PatchError { PatchError(.pathNotFound, message) }
    static func testFailed(_ message: String) -> PatchError { PatchError(.testFailed, message) }
    static func invalidDocument(_ message: String) -> PatchError { PatchError(.invalidDocument, message) }
    static func badDirectiveFormat(_ message: String) -> PatchError { PatchError(.badDirectiveFormat, message) }
}
