import Testing
@testable import KubeCore

/// What writing and running the fuzz targets in fuzz/ turned up in KubeCore (issue 11),
/// kept as regressions.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    @Test("a number beyond Double's range is an error, not an infinity that serializes as null")
    func numberOutOfRange() throws {
        for text in ["1e999", "-1e999", "[1, 2e400]", #"{"replicas": 123456789e999}"#] {
            #expect(throws: JSONError.self, "\(text)") { try JSON.parse(text) }
        }
        // The largest finite values still parse and round-trip.
        let big = try JSON.parse("[1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 1e-400]")
        #expect(try JSON.parse(big.serialized()) == big)
    }
}
