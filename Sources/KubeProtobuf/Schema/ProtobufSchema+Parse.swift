extension ProtobufSchema {
    /// Parses the generator's table (format in scripts/generate-protobuf-schema.py).
    /// The table is generated and checked by tests, so a malformed line is skipped rather
    /// than trapping; an unknown message reference becomes an empty message.
    init(parsing table: String) {
        let lines = table.split(separator: "\n")
        var index: [String: Int] = [:]
        for (i, line) in lines.enumerated() {
            if let name = line.split(separator: " ", maxSplits: 1).first { index[String(name)] = i }
        }
        var messages: [ProtobufMessage] = []
        messages.reserveCapacity(lines.count)
        for line in lines {
            let parts = line.split(separator: " ")
            let name = String(parts.first ?? "")
            var special: ProtobufSpecialType?
            var fields: [ProtobufField] = []
            for part in parts.dropFirst() {
                if part.hasPrefix("!") {
                    special = ProtobufSpecialType(rawValue: String(part.dropFirst()))
                    continue
                }
                if let field = Self.parseField(part, index: index) { fields.append(field) }
            }
            fields.sort { $0.number < $1.number }
            messages.append(ProtobufMessage(name: name, special: special, fields: fields))
        }
        self.messages = messages
        self.index = index
    }

    private static func parseField(_ spec: Substring, index: [String: Int]) -> ProtobufField? {
        let p = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard p.count >= 4, let number = Int(p[0]), number > 0, number < 10_000 else { return nil }
        let cardinality: ProtobufField.Cardinality
        switch p[2] {
        case "r": cardinality = .repeated
        case "m": cardinality = .map
        default: cardinality = .optional
        }
        let kind: ProtobufField.Kind
        switch p[3] {
        case "s": kind = .string
        case "y": kind = .bytes
        case "i": kind = .int32
        case "l": kind = .int64
        case "b": kind = .bool
        case "d": kind = .double
        case "f": kind = .float
        default:
            guard p[3].hasPrefix("@"), let target = index[String(p[3].dropFirst())] else { return nil }
            kind = .message(target)
        }
        let flags = p.count > 4 ? p[4] : ""
        return ProtobufField(number: number, jsonName: String(p[1]), cardinality: cardinality, kind: kind,
                             keepZero: flags.contains("z"), inline: flags.contains("n"))
    }
}
