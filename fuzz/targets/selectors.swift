// Label and field selector parsing (KubeCore/Selectors).
//
// Input: selector text, optionally followed by NUL and a label set as `k=v` lines.
// Oracles: an accepted selector round-trips through its canonical text, and matching gives
// the same answer for the original and the reparsed selector.
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let (head, tail) = fuzzSplit(fuzzBytes(start, count))
    let text = String(decoding: head, as: UTF8.self)
    var labels: [String: String] = [:]
    for line in String(decoding: tail, as: UTF8.self).split(separator: "\n").prefix(64) {
        let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }

    if let selector = try? LabelSelector(parsing: text) {
        let canonical = selector.description
        guard let again = try? LabelSelector(parsing: canonical) else {
            fuzzFailure("label selector \(text.debugDescription) prints as \(canonical.debugDescription), which does not parse")
        }
        guard again == selector else {
            fuzzFailure("label selector \(text.debugDescription) round-trips to a different selector via \(canonical.debugDescription)")
        }
        guard selector.matches(labels) == again.matches(labels) else { fuzzFailure("label matching differs after a round trip") }
        // The JSON form (metav1.LabelSelector) must read back when it can be built.
        let json = selector.labelSelectorJSON()
        _ = try? LabelSelector(labelSelectorJSON: json)
    }
    if let selector = try? FieldSelector(parsing: text) {
        let canonical = selector.description
        guard let again = try? FieldSelector(parsing: canonical) else {
            fuzzFailure("field selector \(text.debugDescription) prints as \(canonical.debugDescription), which does not parse")
        }
        guard again == selector else {
            fuzzFailure("field selector \(text.debugDescription) round-trips to a different selector via \(canonical.debugDescription)")
        }
        guard selector.matches({ labels[$0] }) == again.matches({ labels[$0] }) else {
            fuzzFailure("field matching differs after a round trip")
        }
    }
    // The JSON form as input: the tail parsed as JSON.
    if let json = try? JSON.parse(bytes: tail) {
        _ = try? LabelSelector(labelSelectorJSON: json)
    }
    return 0
}
