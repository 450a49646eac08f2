@testable import KubeClient

import Testing
import KubeTestSupport

@Suite("Log lines split across chunk boundaries")
struct PodLogLineSplitterTests {
    @Test("every way of cutting the bytes gives the same lines, multi-byte characters included")
    func randomCuts() {
        let text = "first line\r\nsecond – ünïcödé 🚀\n\nlast without newline"
        let bytes = Array(text.utf8)
        let expected = ["first line", "second – ünïcödé 🚀", "", "last without newline"]
        var generator = SeededGenerator(defaultSeed: 41)
        for _ in 0..<2_000 {
            var splitter = PodLogLineSplitter()
            var lines: [String] = []
            var index = 0
            while index < bytes.count {
                let size = Int.random(in: 1...7, using: &generator)
                let end = min(bytes.count, index + size)
                lines += splitter.push(bytes[index..<end])
                index = end
            }
            if let last = splitter.finish() { lines.append(last) }
            #expect(lines == expected)
            if lines != expected { return }
        }
    }
}
