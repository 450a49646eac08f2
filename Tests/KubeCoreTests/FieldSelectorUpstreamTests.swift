import Testing
@testable import KubeCore

/// Field selector corners as kube-apiserver parses them (apimachinery fields.ParseSelector,
/// its TestSelectorParse cases and fields.UnescapeValue).
@Suite("Field selector parsing as fields.ParseSelector")
struct FieldSelectorUpstreamTests {
    @Test("empty terms are skipped: a leading, trailing or doubled comma is accepted",
          arguments: [",metadata.name=a", "metadata.name=a,", "metadata.name=a,,status.phase=b", ","])
    func emptyTermsSkipped(text: String) throws {
        let selector = try FieldSelector(parsing: text)
        #expect(selector.requirements.allSatisfy { !$0.field.isEmpty })
        #expect(try FieldSelector(parsing: selector.description) == selector)
    }

    @Test("an unescaped = inside a value is rejected (UnescapeValue: unescaped character)",
          arguments: ["metadata.name=a=b", "metadata.name===a", "metadata.name!=a=b"])
    func unescapedEqualsRejected(text: String) {
        #expect(throws: SelectorError.self) { try FieldSelector(parsing: text) }
    }

    @Test("an escaped = inside a value is its character")
    func escapedEquals() throws {
        #expect(try FieldSelector(parsing: #"metadata.name=a\=b"#).requiredValue(for: "metadata.name") == "a=b")
        #expect(try FieldSelector(parsing: "metadata.name==ab").requiredValue(for: "metadata.name") == "ab")
    }
}
