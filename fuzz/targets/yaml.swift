// YAML reader (KubeCore/YAML) and the manifest reader on top of it (KubeClient/Manifest).
//
// Oracles: every document the reader accepts emits as YAML that reads back to an equal value
// (NaN aside: it is not equal to itself), and the manifest reader fails cleanly or returns
// objects. Alias bombs must end in an error, not in memory exhaustion: libFuzzer's
// -rss_limit_mb and -malloc_limit_mb catch the latter.
import KubeClient
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    let text = String(decoding: bytes, as: UTF8.self)
    // With the default limits aliases may add 16 MiB: fine to build (copy-on-write), too slow
    // to emit and reread on every input. The round trip runs under tighter limits.
    _ = try? YAML.parseDocuments(text)
    let tight = YAMLLimits(maxAliasExpansionBytes: 1 << 20, maxAliasExpansionNodes: 100_000)
    if let documents = try? YAML.parseDocuments(text, limits: tight) {
        for document in documents where !containsNaN(document) {
            let emitted = YAML.emit(document)
            let again: JSON
            do {
                again = try YAML.parse(emitted)
            } catch {
                fuzzFailure("emitted YAML does not read back: \(error)\n\(emitted.prefix(400))")
            }
            guard again == document else {
                fuzzFailure("YAML emit/read changed the value: \(fuzzExcerpt(bytes))\nemitted: \(emitted.prefix(400))")
            }
        }
    }
    _ = try? Manifest.parse(text)
    return 0
}

private func containsNaN(_ value: JSON) -> Bool {
    switch value {
    case .double(let d): return d.isNaN
    case .array(let items): return items.contains(where: containsNaN)
    case .object(let members): return members.values.contains(where: containsNaN)
    default: return false
    }
}
