// Typed decode benchmark: a 10,000-pod PodList decoded into KubeModels' CoreV1.PodList,
// next to merely parsing the same bytes into KubeCore's JSON. Run with ./run.sh.
import BenchSupport
import KubeCore
import KubeModels
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
guard args.count >= 2, let bytes = readFile(args[1]) else {
    print("usage: typed-decode PODLIST.json [runs]")
    exit(2)
}
let runs = args.count >= 3 ? Int(args[2]) ?? 5 : 5

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

var parseTimes: [Double] = []
var decodeOnlyTimes: [Double] = []
var typedTimes: [Double] = []
var encodeTimes: [Double] = []
var items = 0
var difference: String? = nil
for _ in 0..<runs {
    let t0 = MonotonicClock.seconds()
    guard let json = try? JSON.parse(bytes: bytes) else { print("parse failed"); exit(1) }
    let t1 = MonotonicClock.seconds()
    let list: CoreV1.PodList
    do {
        list = try CoreV1.PodList(json: json)
    } catch {
        print("decode failed: \(error)")
        exit(1)
    }
    let t2 = MonotonicClock.seconds()
    let back = list.toJSON()
    let t3 = MonotonicClock.seconds()
    items = list.items.count
    if back != json, difference == nil { difference = firstDifference(json, back) }
    parseTimes.append(t1 - t0)
    decodeOnlyTimes.append(t2 - t1)
    typedTimes.append(t2 - t0)
    encodeTimes.append(t3 - t2)
}
let p = median(parseTimes), d = median(decodeOnlyTimes), t = median(typedTimes), e = median(encodeTimes)
print("pods: \(items), bytes: \(bytes.count), runs: \(runs) (medians)")
print("bare parse (bytes -> JSON):             \((format3(p))) s")
print("JSON -> CoreV1.PodList:                 \((format3(d))) s")
print("typed decode (bytes -> CoreV1.PodList): \((format3(t))) s  = \(format3(t / p))x bare parse")
print("encode CoreV1.PodList -> JSON:          \((format3(e))) s")
if let difference {
    // Expected: `"lastProbeTime": null` is read as absent and not written back.
    print("re-encoded list differs from the input, first at \(difference)")
}

func format3(_ x: Double) -> String {
    let scaled = (x * 1000).rounded() / 1000
    return String(scaled)
}

/// The first path where two JSON values differ (for the note above).
func firstDifference(_ a: JSON, _ b: JSON, _ path: String = "") -> String {
    switch (a, b) {
    case (.object(let x), .object(let y)):
        for key in Set(x.keys).union(y.keys).sorted() {
            guard let u = x[key], let v = y[key] else { return "\(path).\(key) (present on one side only)" }
            if u != v { return firstDifference(u, v, "\(path).\(key)") }
        }
    case (.array(let x), .array(let y)) where x.count == y.count:
        for i in x.indices where x[i] != y[i] { return firstDifference(x[i], y[i], "\(path)[\(i)]") }
    default: break
    }
    return "\(path): \(a) vs \(b)"
}
