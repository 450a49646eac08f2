import KubeCore

/// A LIST answer split without building a tree for its items: the list's own members
/// (`apiVersion`, `kind`, `metadata`, …) parsed, and each item's byte range in the body.
///
/// The list paths decode items one at a time from these ranges (parse the item, build the
/// value, drop the item's tree) instead of parsing the whole body into one `JSON` tree
/// first: less peak memory, better cache behaviour, and the items can be decoded on
/// several threads (`ListItemDecoder`).
struct ListBodySplit {
    /// Every top-level member except `items`.
    var members: [String: JSON]
    /// The byte range of each element of `items`, in server order.
    var items: [Range<Int>]

    /// Splits `body`; nil when it is not a JSON object with an `items` array followed by
    /// nothing but whitespace. Callers then parse the whole body as before, so that odd
    /// answers (`"items": null`, malformed JSON) keep their exact results and errors.
    init?(body: UnsafeRawBufferPointer) {
        let scanner = JSONScanner(body)
        var members: [String: JSON] = [:]
        var items: [Range<Int>]?
        // The top-level members are walked here rather than with `forEachMember`, which
        // finds each value's end before visiting it: for `items` that would scan the whole
        // body once more before `forEachElement` walks it (≈ 55 ms of a 70 MB list).
        do throws(JSONError) {
            var i = scanner.skipWhitespace(0)
            guard i < scanner.count, scanner.byte(i) == UInt8(ascii: "{") else { return nil }
            i = scanner.skipWhitespace(i + 1)
            if i < scanner.count, scanner.byte(i) == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    guard i < scanner.count, scanner.byte(i) == UInt8(ascii: "\"") else { return nil }
                    let quoted = try scanner.valueRange(at: i)
                    i = scanner.skipWhitespace(quoted.upperBound)
                    guard i < scanner.count, scanner.byte(i) == UInt8(ascii: ":") else { return nil }
                    i = scanner.skipWhitespace(i + 1)
                    guard i < scanner.count else { return nil }
                    let inner = (quoted.lowerBound + 1)..<(quoted.upperBound - 1)
                    if scanner.key(inner, is: "items") {
                        // Anything but an array (null included) goes the whole-body way.
                        guard scanner.byte(i) == UInt8(ascii: "[") else { return nil }
                        var ranges: [Range<Int>] = []
                        i = try scanner.forEachElement(ofArrayAt: i) { (item) throws(JSONError) -> Bool in
                            ranges.append(item)
                            return true
                        }
                        items = ranges
                    } else {
                        let value = try scanner.valueRange(at: i)
                        members[try scanner.string(quoted) ?? ""] = try scanner.value(value)
                        i = value.upperBound
                    }
                    i = scanner.skipWhitespace(i)
                    guard i < scanner.count else { return nil }
                    if scanner.byte(i) == UInt8(ascii: "}") {
                        i += 1
                        break
                    }
                    guard scanner.byte(i) == UInt8(ascii: ",") else { return nil }
                    i = scanner.skipWhitespace(i + 1)
                }
            }
            guard scanner.skipWhitespace(i) == scanner.count else { return nil }
        } catch {
            return nil
        }
        guard let items else { return nil }
        self.members = members
        self.items = items
    }
}
