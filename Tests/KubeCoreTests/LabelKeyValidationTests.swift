import Testing
@testable import KubeCore

/// Label keys and values as apimachinery `validation.IsQualifiedName` / `IsValidLabelValue`
/// judge them (their TestIsQualifiedName / TestIsValidLabelValue cases), with the same messages,
/// one per problem (ValidateLabels makes one cause of each).
@Suite("Label key and value validation as apimachinery IsQualifiedName")
struct LabelKeyValidationTests {
    @Test("valid keys", arguments: [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo", String(repeating: "a", count: 63), String(repeating: "a", count: 253) + "/" + String(repeating: "b", count: 63),
    ])
    func valid(key: String) {
        #expect(LabelValidation.keyReasons(key).isEmpty, "\(key)")
    }

    @Test("invalid keys", arguments: [
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
        "example_com/abc", "example.com/", "/simple", String(repeating: "a", count: 64),
        String(repeating: "a", count: 254) + "/abc",
    ])
    func invalid(key: String) {
        #expect(!LabelValidation.keyReasons(key).isEmpty, "\(key)")
    }

    @Test("the messages are apimachinery's")
    func messages() {
        #expect(LabelValidation.keyReasons("Example.com/abc") == [
            #"prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
        ])
        #expect(LabelValidation.keyReasons("a/b/c") == [
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ])
        #expect(LabelValidation.keyReasons("example.com/") == ["name part must be non-empty", "name part " + LabelValidation.qualifiedNameMessage])
        #expect(LabelValidation.keyReasons(String(repeating: "a", count: 64)) == ["name part must be no more than 63 characters"])
        #expect(LabelValidation.keyReasons(String(repeating: "a", count: 64) + "-") == [
            "name part must be no more than 63 characters", "name part " + LabelValidation.qualifiedNameMessage,
        ])
        #expect(LabelValidation.keyReasons(String(repeating: "a", count: 254) + "/x") == ["prefix part must be no more than 253 characters"])
        #expect(LabelValidation.valueReasons(String(repeating: "v", count: 64)) == ["must be no more than 63 characters"])
        #expect(LabelValidation.valueReasons("").isEmpty)
    }
}
