import FoundationEssentials
import Testing
@testable import KubeCore

@Suite("RFC 3339 time")
struct RFC3339Tests {
    @Test("formats metav1.Time and MicroTime in UTC")
    func format() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_136_214_245)) == "2006-01-02T15:04:05Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(RFC3339.formatMicro(Date(timeIntervalSince1970: 1_136_214_245.25)) == "2006-01-02T15:04:05.250000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_136_214_245.999)) == "2006-01-02T15:04:05Z")
    }

    @Test("parses with and without fractions and offsets")
    func parse() {
        #expect(RFC3339.parse("2006-01-02T15:04:05Z")?.timeIntervalSince1970 == 1_136_214_245)
        #expect(RFC3339.parse("2006-01-02T15:04:05.5Z")?.timeIntervalSince1970 == 1_136_214_245.5)
        #expect(RFC3339.parse("2006-01-02T15:04:05.123456Z").map { abs($0.timeIntervalSince1970 - 1_136_214_245.123456) < 1e-6 } == true)
        #expect(RFC3339.parse("2006-01-02T08:04:05-07:00")?.timeIntervalSince1970 == 1_136_214_245)
        #expect(RFC3339.parse("2006-01-02t15:04:05z")?.timeIntervalSince1970 == 1_136_214_245)
    }

    @Test("rejects malformed timestamps", arguments: [
        "", "2006-01-02", "2006-01-02T15:04:05", "2006-13-02T15:04:05Z", "2006-02-30T15:04:05Z", "2006-01-02T25:04:05Z",
        "2006-01-02T15:04:05.Z", "2006-01-02T15:04:05+0700", "2006-01-02T15:04:05Zjunk", "20x6-01-02T15:04:05Z",
    ])
    func malformed(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("format and parse agree on every day across four centuries of leap years")
    func calendar() {
        var seconds: Int64 = -2_208_988_800 // 1900-01-01
        while seconds < 10_000_000_000 {
            let date = Date(timeIntervalSince1970: Double(seconds))
            #expect(RFC3339.parse(RFC3339.format(date)) == date)
            seconds += 86_400 * 7 + 3_601
        }
    }
}
