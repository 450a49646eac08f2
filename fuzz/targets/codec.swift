// The informer cache's compact object codec (KubeRuntime/Informer/Store: CachedObject,
// ObjectStorage, CompactObjectCodec, ValueTable; the scanner is KubeCore's). Compiled together with those files, so
// the internal API is reachable; see scripts/fuzz.sh.
//
// Oracles: an object the cache accepts expands back to its compact JSON (whitespace removed,
// every other byte kept), which parses to the same value as the input; dropping
// managedFields gives the input without `metadata.managedFields`; the metadata the cache
// reports agrees with the parser's.
import KubeClient
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    let parsed = try? JSON.parse(bytes: bytes)
    guard let object = try? CachedObject(bytes: bytes) else { return 0 }

    let expanded = object.bytes
    guard expanded.count == object.jsonByteCount else { fuzzFailure("expanded length differs from the recorded one") }
    guard expanded == compactJSON(bytes) else {
        fuzzFailure("cache expands to other bytes than the compact input: \(fuzzExcerpt(bytes)) -> \(fuzzExcerpt(expanded))")
    }
    let count = object.withJSONBytes { $0.count }
    guard count == expanded.count else { fuzzFailure("withJSONBytes and bytes disagree") }
    _ = object.labels
    _ = object.uid

    guard let parsed else { return 0 }
    guard let reparsed = try? JSON.parse(bytes: expanded), reparsed == parsed else {
        fuzzFailure("cached object parses differently from its input: \(fuzzExcerpt(bytes))")
    }
    if let name = parsed[path: ["metadata", "name"]]?.stringValue, parsed.objectValue?.keys.filter({ $0 == "metadata" }).count == 1 {
        // Keys may repeat in the text (the parser keeps the last, the scanner the first):
        // compare only when the metadata object has unique keys.
        if !hasRepeatedKeys(bytes), object.name != name {
            fuzzFailure("cache name \(object.name.debugDescription) differs from metadata.name \(name.debugDescription)")
        }
    }
    if let stripped = try? CachedObject(compactBytes: bytes, dropManagedFields: true) {
        guard let value = try? stripped.json() else { fuzzFailure("object without managedFields is not JSON: \(fuzzExcerpt(bytes))") }
        var expected = parsed
        expected[path: ["metadata", "managedFields"]] = nil
        if !hasRepeatedKeys(bytes), value != expected {
            fuzzFailure("dropping managedFields changed more than that: \(fuzzExcerpt(bytes))")
        }
    }
    return 0
}

/// True when some object in the text repeats a key (cheap over-approximation: any repeated
/// quoted string followed by ':').
private func hasRepeatedKeys(_ bytes: [UInt8]) -> Bool {
    var seen = Set<[UInt8]>()
    var i = 0
    while i < bytes.count {
        guard bytes[i] == UInt8(ascii: "\"") else { i += 1; continue }
        var j = i + 1
        while j < bytes.count && bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
        guard j < bytes.count else { break }
        var k = j + 1
        while k < bytes.count && (bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09) { k += 1 }
        if k < bytes.count && bytes[k] == UInt8(ascii: ":") {
            if !seen.insert(Array(bytes[(i + 1)..<j])).inserted { return true }
        }
        i = j + 1
    }
    return false
}
