#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one random generator of the randomized tests (SplitMix64): small, fast and reproducible.
///
/// A test names itself and a default seed; the seed in use is printed, and
/// `KUBECLIENT_TEST_SEED=<n>` replays a failure (`KUBECLIENT_TEST_SEED=random` explores new
/// inputs). Runs are deterministic unless asked otherwise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The generator for the test `name`: the environment's seed when set, else `defaultSeed`.
    /// `stream` separates several generators of one test (per thread, per round) while one
    /// seed still replays them all.
    public init(test name: String = #function, defaultSeed: UInt64, stream: UInt64 = 0) {
        let chosen = Self.environmentSeed() ?? defaultSeed
        if stream == 0 {
            print("seed for \(name): \(chosen) (KUBECLIENT_TEST_SEED=\(chosen) replays it)")
        }
        self.init(seed: chosen &+ stream &* 0x9E37_79B9_7F4A_7C15)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func environmentSeed() -> UInt64? {
        guard let raw = getenv("KUBECLIENT_TEST_SEED") else { return nil }
        let text = String(cString: raw)
        if text == "random" { return UInt64.random(in: 1...UInt64.max) }
        return UInt64(text)
    }
}
