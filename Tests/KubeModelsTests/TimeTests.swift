import KubeCore
import KubeModels
import Testing

@Suite("Time and MicroTime")
struct TimeTests {
    @Test("RFC 3339 with and without fractional seconds and offsets")
    func parse() throws {
        let plain = try #require(Time(rfc3339: "2008-01-01T01:01:01Z"))
        #expect(plain.secondsSince1970 == 1_199_149_261)
        let fraction = try #require(Time(rfc3339: "2008-01-01T01:01:01.123456789Z"))
        #expect(fraction.nanoseconds == 123_456_789)
        let offset = try #require(Time(rfc3339: "2008-01-01T03:01:01+02:00"))
        #expect(offset.secondsSince1970 == plain.secondsSince1970)
        #expect(Time(rfc3339: "2008-13-01T01:01:01Z") == nil)
        #expect(Time(rfc3339: "2008-01-01 01:01") == nil)
        #expect(Time(rfc3339: "2009-02-29T00:00:00Z") == nil)
    }

    @Test("Time writes whole seconds in UTC, MicroTime six digits")
    func format() throws {
        let t = try #require(Time(rfc3339: "2008-01-01T03:01:01.5+02:00"))
        #expect(t.rfc3339 == "2008-01-01T01:01:01Z")
        let m = try #require(MicroTime(rfc3339: "2008-01-01T01:01:01.000001Z"))
        #expect(m.rfc3339 == "2008-01-01T01:01:01.000001Z")
        let m2 = try #require(MicroTime(rfc3339: "1969-12-31T23:59:59Z"))
        #expect(m2.secondsSince1970 == -1)
        #expect(m2.rfc3339 == "1969-12-31T23:59:59.000000Z")
        #expect(try #require(Time(rfc3339: "2000-02-29T12:00:00Z")).rfc3339 == "2000-02-29T12:00:00Z")
    }
}

@Suite("Zero time")
struct ZeroTimeTests {
    @Test("null reads as the zero time and is written back as null, as Go does")
    func zero() throws {
        let t = try Time(json: .null)
        #expect(t.isZero)
        #expect(t.toJSON() == .null)
        #expect(Time.zero.rfc3339 == "0001-01-01T00:00:00Z")
        #expect(try MicroTime(json: .null).toJSON() == .null)
    }
}
