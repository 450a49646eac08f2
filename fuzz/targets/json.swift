// JSON parser, serializer and byte scanner (KubeCore/JSON).
//
// Oracles: a value the parser accepts serializes to text that parses back to an equal value
// and serializes to the same bytes (the canonical form is a fixed point); the byte scanner
// accepts what the parser accepts and finds the same members and elements.
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    let parsed: JSON
    do {
        parsed = try bytes.withUnsafeBytes { try JSON.parse($0) }
    } catch {
        // Rejected input: the scanner and summaries must still fail cleanly, not crash.
        bytes.withUnsafeBytes { raw in
            _ = try? ObjectSummary(bytes: raw)
            _ = try? ListScan(bytes: raw)
            let scanner = JSONScanner(raw)
            _ = try? walk(scanner, at: 0, depth: 0)
        }
        return 0
    }
    let text = parsed.serializedBytes()
    let reparsed: JSON
    do {
        reparsed = try text.withUnsafeBytes { try JSON.parse($0) }
    } catch {
        fuzzFailure("serialized form does not parse: \(error) in \(fuzzExcerpt(text))")
    }
    if !containsNonFinite(parsed) {
        guard reparsed == parsed else { fuzzFailure("round trip changed the value: \(fuzzExcerpt(bytes))") }
    }
    guard reparsed.serializedBytes() == text else { fuzzFailure("serialization is not a fixed point: \(fuzzExcerpt(bytes))") }
    _ = parsed.serialized()

    // The parser turns invalid UTF-8 into U+FFFD (as Go does) while the scanner's `string`
    // refuses it: compare the two on valid UTF-8 only.
    guard String(validating: bytes, as: UTF8.self) != nil else { return 0 }
    bytes.withUnsafeBytes { raw in
        let scanner = JSONScanner(raw)
        do {
            let range = try scanner.valueRange(at: 0)
            guard scanner.skipWhitespace(range.upperBound) == scanner.count else {
                fuzzFailure("scanner stops early at \(range.upperBound) of \(scanner.count): \(fuzzExcerpt(bytes))")
            }
            let scanned = try walk(scanner, at: range.lowerBound, depth: 0)
            if !containsNonFinite(parsed) {
                guard scanned == parsed else { fuzzFailure("scanner and parser disagree: \(fuzzExcerpt(bytes))") }
            }
        } catch {
            fuzzFailure("scanner rejects what the parser accepts: \(error) in \(fuzzExcerpt(bytes))")
        }
        if case .object = parsed {
            _ = try? ObjectSummary(bytes: raw)
            _ = try? ListScan(bytes: raw)
        }
    }
    return 0
}

/// Rebuilds a value through the scanner alone (containers by members and elements, scalars
/// through `value(_:)`), so it can be compared with the parser's tree.
private func walk(_ scanner: JSONScanner, at offset: Int, depth: Int) throws(JSONError) -> JSON {
    let range = try scanner.valueRange(at: offset)
    guard depth < 600 else { return .null }
    switch scanner.byte(range.lowerBound) {
    case UInt8(ascii: "{"):
        var members: [String: JSON] = [:]
        try scanner.forEachMember(ofObjectAt: range.lowerBound) { (key, value) throws(JSONError) -> Bool in
            let quoted = (key.lowerBound - 1)..<(key.upperBound + 1)
            guard let name = try scanner.string(quoted) else { throw JSONError(offset: key.lowerBound, message: "key") }
            members[name] = try walk(scanner, at: value.lowerBound, depth: depth + 1)
            return true
        }
        return .object(members)
    case UInt8(ascii: "["):
        var items: [JSON] = []
        try scanner.forEachElement(ofArrayAt: range.lowerBound) { (value) throws(JSONError) -> Bool in
            items.append(try walk(scanner, at: value.lowerBound, depth: depth + 1))
            return true
        }
        return .array(items)
    default:
        return try scanner.value(range)
    }
}

/// Infinite doubles serialize as null (JSON has no infinity), so they cannot round-trip.
private func containsNonFinite(_ value: JSON) -> Bool {
    switch value {
    case .double(let d): return !d.isFinite
    case .array(let items): return items.contains(where: containsNonFinite)
    case .object(let members): return members.values.contains(where: containsNonFinite)
    default: return false
    }
}
