// Protobuf vs JSON for a pod list, codec only (no network): what the client would spend
// decoding a LIST answer and what the server spends encoding it, on the same objects.
// Usage: ProtobufBench <podlist.json> [runs]   (benchmarks/protobuf/run.py makes the file)
//        ProtobufBench encode <podlist.json> <out.pb>   (the list the podserver serves as protobuf)
import BenchSupport
import FoundationEssentials
import KubeCore
import KubeModels
import KubeProtobuf

#if canImport(Glibc)
import Glibc
#endif

/// Median seconds of `runs` runs of `body`.
func measure(_ runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, min: Double, max: Double) {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = MonotonicClock.seconds()
        try body()
        times.append(MonotonicClock.seconds() - start)
    }
    times.sort()
    return (times[times.count / 2], times[0], times[times.count - 1])
}

let args = CommandLine.arguments
if args.count == 4, args[1] == "encode" {
    guard let input = readFile(args[2]), let encoded = try? KubeProtobuf.encode(try JSON.parse(bytes: input)),
          let out = fopen(args[3], "wb") else {
        print("error: cannot encode \(args[2]) to \(args[3])")
        exit(1)
    }
    let written = encoded.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
    fclose(out)
    exit(written == encoded.count ? 0 : 1)
}
guard args.count >= 2, let jsonBytes = readFile(args[1]) else {
    print("usage: ProtobufBench <podlist.json> [runs]")
    exit(2)
}
let runs = args.count > 2 ? Int(args[2]) ?? 5 : 5

let tableStart = MonotonicClock.seconds()
_ = KubeProtobuf.hasSchema(apiVersion: "v1", kind: "Pod")  // parses the schema table once
let tableSeconds = MonotonicClock.seconds() - tableStart

do {
    let list = try JSON.parse(bytes: jsonBytes)
    let count = list["items"]?.arrayValue?.count ?? 0
    let protobufBytes = try KubeProtobuf.encode(list)
    // The JSON a client gets after decoding protobuf: compare like with like.
    let fromProtobuf = try KubeProtobuf.decode(protobufBytes)
    let jsonAgain = fromProtobuf.serializedBytes()

    var sink = 0
    let jsonDecode = try measure(runs) { sink &+= try JSON.parse(bytes: jsonAgain)["items"]?.arrayValue?.count ?? 0 }
    let pbDecode = try measure(runs) { sink &+= try KubeProtobuf.decode(protobufBytes)["items"]?.arrayValue?.count ?? 0 }
    // The typed list (KubeModels) built from either decoded value: what a typed client would do.
    let typedJSON = try measure(runs) { sink &+= try CoreV1.PodList(json: try JSON.parse(bytes: jsonAgain)).items.count }
    let typedProtobuf = try measure(runs) { sink &+= try CoreV1.PodList(json: try KubeProtobuf.decode(protobufBytes)).items.count }
    let jsonEncode = measure(runs) { sink &+= fromProtobuf.serializedBytes().count }
    let pbEncode = try measure(runs) { sink &+= try KubeProtobuf.encode(fromProtobuf).count }

    func row(_ name: String, _ m: (median: Double, min: Double, max: Double)) {
        print("ROW \(name)|\(m.median)|\(m.min)|\(m.max)")
    }
    print("PODS \(count)")
    print("BYTES json=\(jsonAgain.count) protobuf=\(protobufBytes.count)")
    print("TABLE \(tableSeconds)")
    row("client decode: JSON bytes -> JSON value", jsonDecode)
    row("client decode: protobuf bytes -> JSON value", pbDecode)
    row("client typed list: JSON bytes -> CoreV1.PodList", typedJSON)
    row("client typed list: protobuf bytes -> CoreV1.PodList", typedProtobuf)
    row("server encode: JSON value -> JSON bytes", jsonEncode)
    row("server encode: JSON value -> protobuf bytes", pbEncode)
    if sink == 42 { print("") }
} catch {
    print("error: \(error)")
    exit(1)
}
