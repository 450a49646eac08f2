import KubeCore

/// Finds the `type` and the `object` text of one watch line with the byte scanner: no
/// tree is built, the object's bytes are located in place.
enum WatchEventDecoder {
    static func decode(line: UnsafeRawBufferPointer) throws(KubeError) -> RawWatchEvent {
        let scanner = JSONScanner(line)
        var typeText: String? = nil
        var objectRange: Range<Int>? = nil
        do throws(JSONError) {
            try scanner.forEachMember(ofObjectAt: 0) { (key, value) throws(JSONError) -> Bool in
                if scanner.key(key, is: "type") {
                    typeText = try scanner.string(value)
                } else if scanner.key(key, is: "object") {
                    objectRange = value
                }
                return typeText == nil || objectRange == nil
            }
        } catch {
            throw .decoding("malformed watch event from the server: \(error) in \(excerpt(line))")
        }
        guard let typeText else {
            throw .decoding("watch event without a \"type\": \(excerpt(line))")
        }
        guard let type = WatchEventType(rawValue: typeText) else {
            throw .decoding("unknown watch event type \"\(typeText)\"")
        }
        guard let objectRange, let base = line.baseAddress,
              scanner.byte(objectRange.lowerBound) == UInt8(ascii: "{") else {
            throw .decoding("watch event \(typeText) without an object")
        }
        return RawWatchEvent(type: type,
                             object: UnsafeRawBufferPointer(start: base + objectRange.lowerBound, count: objectRange.count))
    }

    static func excerpt(_ line: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return line.count > 120 ? "\"\(text)…\"" : "\"\(text)\""
    }
}
