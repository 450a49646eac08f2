import KubeCore

/// A value stored out of line, so that a struct can hold a field of its own type
/// (a CRD schema's `not`, for example). It keeps value semantics: the box is
/// immutable and replaced on every write.
public struct Indirect<Value> {
    private final class Box: @unchecked Sendable {
        // Immutable after init; Sendable whenever Value is (enforced by the conditional conformance below).
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let box: Box

    public init(_ value: Value) { box = Box(value) }

    public var value: Value { box.value }
}

extension Indirect: Sendable where Value: Sendable {}

extension Indirect: Equatable where Value: Equatable {
    public static func == (a: Indirect, b: Indirect) -> Bool { a.box === b.box || a.value == b.value }
}

extension Indirect: JSONValueCodable where Value: JSONValueCodable {
    public init(json: JSON) throws(JSONDecodingError) { self.init(try Value(json: json)) }
    public func toJSON() -> JSON { value.toJSON() }
}
