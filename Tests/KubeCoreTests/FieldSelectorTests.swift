import Testing
@testable import KubeCore

@Suite("Field selectors")
struct FieldSelectorTests {
    let fields: [String: String] = ["metadata.name": "web-1", "metadata.namespace": "default", "status.phase": "Running"]

    @Test("=, == and != compare field values, comma is AND")
    func operators() throws {
        let selector = try FieldSelector(parsing: "metadata.name=web-1,status.phase!=Pending,metadata.namespace==default")
        #expect(selector.requirements == [
            FieldRequirement(field: "metadata.name", op: .equals, value: "web-1"),
            FieldRequirement(field: "status.phase", op: .notEquals, value: "Pending"),
            FieldRequirement(field: "metadata.namespace", op: .equals, value: "default"),
        ])
        #expect(selector.matches { fields[$0] })
        #expect(!(try FieldSelector(parsing: "status.phase=Pending")).matches { fields[$0] })
        #expect(selector.description == "metadata.name=web-1,status.phase!=Pending,metadata.namespace=default")
        #expect(selector.requiredValue(for: "metadata.name") == "web-1")
    }

    @Test("a missing field counts as the empty string")
    func missingField() throws {
        #expect(try FieldSelector(parsing: "spec.nodeName=").matches { fields[$0] })
        #expect(try FieldSelector(parsing: "spec.nodeName!=node-1").matches { fields[$0] })
        #expect(!(try FieldSelector(parsing: "spec.nodeName=node-1")).matches { fields[$0] })
    }

    @Test("the empty selector matches everything")
    func empty() throws {
        let selector = try FieldSelector(parsing: "")
        #expect(selector.isEmpty)
        #expect(selector.matches { _ in nil })
    }

    @Test("backslash escapes commas, equals signs and backslashes in values")
    func escapes() throws {
        let selector = try FieldSelector(parsing: #"metadata.name=a\,b\=c\\d,status.phase=x"#)
        #expect(selector.requirements.first?.value == #"a,b=c\d"#)
        #expect(selector.requirements.count == 2)
        #expect(try FieldSelector(parsing: selector.description) == selector)
    }

    @Test("malformed terms are rejected with a message", arguments: ["metadata.name", "=x", #"a=b\"#, #"a=\q"#])
    func errors(input: String) {
        #expect(throws: SelectorError.self) { try FieldSelector(parsing: input) }
    }
}
