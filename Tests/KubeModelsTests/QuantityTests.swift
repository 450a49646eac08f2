import KubeModels
import Testing

@Suite("Quantity")
struct QuantityTests {
    @Test("canonical form matches the API server", arguments: [
        ("100m", "100m"), ("1.5Gi", "1536Mi"), ("2e3", "2e3"), ("1k", "1k"), ("1000", "1k"), ("1500", "1500"),
        ("0.1", "100m"), ("1.5", "1500m"), ("0", "0"), ("0Gi", "0"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"),
        ("1025Ki", "1025Ki"), ("512Ki", "512Ki"), ("1023Ki", "1023Ki"), ("100Mi", "100Mi"), ("0.5Ki", "512"),
        ("1.1Ki", "1126400m"), ("-1", "-1"), ("-100m", "-100m"), ("1E", "1E"), ("12e6", "12e6"), ("1e3", "1e3"),
        ("1.5e3", "1500"), ("0.0000000001", "1n"), ("1n", "1n"), ("1u", "1u"), ("+5", "5"), (".5", "500m"),
        ("10Ei", "10Ei"), ("1000E", "1000E"),
    ])
    func canonical(input: String, expected: String) throws {
        #expect(try Quantity(input).canonical == expected)
    }

    @Test("comparison is by value across suffixes")
    func compare() {
        #expect(Quantity("1Gi") == Quantity("1024Mi"))
        #expect(Quantity("100m") < Quantity("1"))
        #expect(Quantity("1k") == Quantity("1000"))
        #expect(Quantity("2e3") == Quantity("2k"))
        #expect(Quantity("1.5Gi") > Quantity("1G"))
        #expect(Quantity("-1") < Quantity("0"))
        #expect(Quantity("-2") < Quantity("-1"))
        #expect(Quantity("999m") < Quantity("1"))
    }

    @Test("values in units and milli-units round up")
    func values() {
        #expect(Quantity("100m").milliValue == 100)
        #expect(Quantity("100m").integerValue == 1)
        #expect(Quantity("1.5Gi").integerValue == 1_610_612_736)
        #expect(Quantity("2").milliValue == 2000)
    }

    @Test("invalid quantities are rejected", arguments: ["", "abc", "1.2.3", "1Q", "Gi", "1 Gi", "1e", "--1"])
    func invalid(text: String) {
        #expect(throws: QuantityError.self) { try Quantity(text) }
    }

    @Test("text is written back as given")
    func preservesText() throws {
        let q: Quantity = "1.5Gi"
        #expect(q.toJSON() == .string("1.5Gi"))
        #expect(q.description == "1.5Gi")
    }
}
