import KubeCore
#if canImport(Glibc)
import Glibc
#endif

/// Benchmark cases run by benchmarks/run.py, one case per process:
///   KubeBench parse FILE    build JSON trees for a list file (KubeCore.JSON)
///   KubeBench scan FILE     split a list into items and read their metadata (the cache path)
func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}

func parseCase(_ bytes: [UInt8]) throws -> Int {
    let v = try JSON.parse(bytes: bytes)
    return v["items"]?.arrayValue?.count ?? 0
}

func scanCase(_ bytes: [UInt8]) throws -> Int {
    var keys = 0
    var copies: [[UInt8]] = []
    try bytes.withUnsafeBytes { raw in
        let list = try ListScan(bytes: raw)
        let scanner = JSONScanner(raw)
        copies.reserveCapacity(list.items.count)
        for item in list.items {
            let s = try ObjectSummary(scanning: scanner, objectAt: item)
            keys += s.key.isEmpty ? 0 : 1
            copies.append(Array(scanner.bytes(item)))
        }
    }
    return keys
}

func run() -> Int32 {
    let args = CommandLine.arguments
    guard args.count >= 3, let bytes = readFile(args[2]) else {
        print("usage: KubeBench parse|scan FILE")
        return 2
    }
    let t0 = MonotonicClock.seconds()
    do {
        let items: Int
        switch args[1] {
        case "parse": items = try parseCase(bytes)
        case "scan": items = try scanCase(bytes)
        default:
            print("unknown case \(args[1])")
            return 2
        }
        print("items=\(items) seconds=\(MonotonicClock.seconds() - t0)")
        return 0
    } catch {
        print("error: \(error)")
        return 1
    }
}

exit(run())
