// Watch-frame splitter and event decoder (KubeClient/Dynamic: WatchLineSplitter,
// WatchEventDecoder), the path every watch response body takes.
//
// Input: the first byte picks a chunk size pattern, the rest is the stream body. The body is
// fed in chunks as libcurl would deliver them. Oracle: whatever the chunking, the lines
// delivered are exactly the non-blank `\n`-separated lines of the whole body (the last one
// delivered by `finish`). Every line then goes through the event decoder and, when it holds
// an object, the JSON parser.
@testable import KubeClient
import KubeCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let raw = UnsafeRawBufferPointer(start: start, count: count)
    let pattern = Int(raw[0])
    let body = Array(raw.dropFirst())

    var expected: [[UInt8]] = []
    for piece in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let line = Array(piece)
        if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { expected.append(line) }
    }

    var splitter = WatchLineSplitter()
    var delivered: [[UInt8]] = []
    let collect: (UnsafeRawBufferPointer) throws(KubeError) -> Bool = { line in
        delivered.append(Array(line))
        if let event = try? WatchEventDecoder.decode(line: line) {
            _ = try? JSON.parse(event.object)
        }
        return true
    }
    body.withUnsafeBytes { all in
        var offset = 0
        var step = 0
        while offset < all.count {
            // Chunk sizes cycle through a pattern chosen by the first byte: 1..16 bytes, or
            // larger ones, so lines split at every possible place across inputs.
            let size = pattern < 128 ? 1 + (pattern + step * 7) % 16 : 1 + (pattern * 31 + step * 131) % 4096
            let chunk = UnsafeRawBufferPointer(rebasing: all[offset..<min(all.count, offset + size)])
            do {
                _ = try splitter.feed(chunk, collect)
            } catch {
                // A bounded splitter may refuse an over-long line: the rest is not compared.
                delivered = expected
                return
            }
            offset += chunk.count
            step += 1
        }
        do {
            _ = try splitter.finish(collect)
        } catch {
            delivered = expected
        }
    }
    guard delivered == expected else {
        fuzzFailure("splitter delivered \(delivered.count) lines, expected \(expected.count) (pattern \(pattern))")
    }
    return 0
}
