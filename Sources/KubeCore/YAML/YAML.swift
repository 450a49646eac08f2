import CYaml

/// YAML → JSON through libyaml, and JSON → block-style YAML.
///
/// Scalars follow the YAML 1.2 core schema, like Kubernetes' YAML-to-JSON conversion of
/// manifests: `null`/`~`/empty are null, `true`/`True`/`TRUE` and the `false` variants are
/// booleans, decimal, `0x` and `0o` integers, floats including `.inf` and `.nan`; quoted and
/// block scalars are always strings. (YAML 1.1's `yes`/`no`/`on`/`off` stay strings.)
/// Anchors, aliases and `<<` merge keys are resolved, within `YAMLLimits` (what aliases may add).
/// Mapping keys become strings.
public enum YAML {
    /// Parses a single-document YAML text. No document (empty text) gives `.null`; more than
    /// one non-empty document is an error (use `parseDocuments`).
    public static func parse(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> JSON {
        let documents = try parseDocuments(text, limits: limits)
        if documents.count > 1 {
            throw YAMLError(message: "expected a single document, found \(documents.count)", line: 0, column: 0)
        }
        return documents.first ?? .null
    }

    /// Parses a multi-document YAML stream (`---` separated); empty documents are skipped.
    public static func parseDocuments(_ text: String, limits: YAMLLimits = .default) throws(YAMLError) -> [JSON] {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        return try bytes.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(YAMLError) -> [JSON] in
            try parseEvents(UnsafeBufferPointer(buffer), limits: limits)
        }
    }

    private static func parseEvents(_ input: UnsafeBufferPointer<UInt8>, limits: YAMLLimits) throws(YAMLError) -> [JSON] {
        guard let base = input.baseAddress else { return [] }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(message: "cannot initialise the YAML parser (out of memory)", line: 0, column: 0)
        }
        // The parser is freed on every path, including the throwing ones below.
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, base, input.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var builder = YAMLDocumentBuilder(limits: limits)
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw error(from: parser, input: input)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try builder.handle(&event)
        }
        return builder.documents
    }

    private static func error(from parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context) that starts at line \(Int(parser.context_mark.line) + 1))"
        }
        if parser.error == YAML_READER_ERROR {
            // Reader errors (bad characters) carry a byte offset only: turn it into line and column.
            let offset = min(Int(parser.problem_offset), input.count)
            var line = 1
            var lineStart = 0
            for index in 0..<offset where input[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            return YAMLError(message: problem, line: line, column: offset - lineStart + 1)
        }
        let mark = parser.problem_mark
        return YAMLError(message: message, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
