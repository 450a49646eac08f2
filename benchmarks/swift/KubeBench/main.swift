import BenchSupport
import KubeClient
import KubeClientset
import KubeCore
import KubeModels
import KubeRuntime
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Benchmark cases run by benchmarks/run.py, one case per process. Each prints `key=value` pairs
/// (`seconds=` always) that run.py reads:
///   KubeBench parse FILE                       build JSON trees for a list file (KubeCore.JSON)
///   KubeBench scan FILE                        split a list into items and read their metadata (the cache path)
///   KubeBench list-dynamic KUBECONFIG          KubeClient(...).resource("v1","pods").list() → UnstructuredList
///   KubeBench list-typed KUBECONFIG            client.coreV1.pods(namespace: nil).list() → CoreV1.PodList
///   KubeBench list-typed-protobuf KUBECONFIG   the same list fetched as protobuf (ProtobufCases.swift)
///   KubeBench cache-fill-json|cache-fill-protobuf KUBECONFIG   an informer's first list into the cache form
///   KubeBench informer-sync KUBECONFIG [drop]  dynamic informer on pods until synced; RSS delta per cached object
///   KubeBench informer-watch KUBECONFIG EVENTS events/s through an informer to a Swift handler
///   KubeBench lister-read KUBECONFIG [drop] [READS]  lister get + JSON bytes of random pods (ListerCases.swift)
///   KubeBench workqueue [CYCLES] [WORKERS]     add/get/forget/done cycles/s through the rate-limited queue

/// Resident set size of this process in bytes (from /proc/self/statm).
func residentBytes() -> Int {
    guard let bytes = readFile("/proc/self/statm"),
          let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// RSS after handing freed heap back to the kernel, so transient buffers (the list body) do not count.
func settledResidentBytes() -> Int {
    // Glibc's Swift module does not export malloc_trim; look it up at run time.
    typealias Trim = @convention(c) (Int) -> Int32
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }
    return residentBytes()
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

func makeClient(_ kubeconfig: String) throws -> KubeClient {
    try KubeClient(config: RESTConfig.load(path: kubeconfig))
}

/// Informer sync on the library defaults (a resourceVersion=0 list, which the server answers
/// whole from its cache) into the cache, then the RSS delta per cached object.
func informerSync(_ kubeconfig: String, drop: Bool) throws -> String {
    let client = try makeClient(kubeconfig)
    let options = InformerFactory.Options(transform: drop ? .dropManagedFields : .none)
    let factory = InformerFactory(client: client, options: options)
    let informer = try factory.informer(for: GroupVersionResource(apiVersion: "v1", resource: "pods"))
    let before = settledResidentBytes()
    let t0 = MonotonicClock.seconds()
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(600)) else { throw KubeError.closed("informer did not sync") }
    let seconds = MonotonicClock.seconds() - t0
    let count = informer.indexer.count
    let after = settledResidentBytes()
    var jsonBytes = 0
    for object in informer.indexer.list() { jsonBytes += object.jsonByteCount }
    factory.shutdown()
    let perObject = count > 0 ? Double(after - before) / Double(count) : 0
    let jsonPerObject = count > 0 ? Double(jsonBytes) / Double(count) : 0
    return "items=\(count) seconds=\(seconds) bytes_per_object=\(Int(perObject)) json_bytes_per_object=\(Int(jsonPerObject))"
}

/// Watch events through an informer to a Swift handler. The podserver streams `events` events
/// from the list's resourceVersion; we time from sync to the last event (or a 2 s lull).
func informerWatch(_ kubeconfig: String, events: Int) throws -> String {
    let client = try makeClient(kubeconfig)
    let factory = InformerFactory(client: client)
    let informer = try factory.informer(for: GroupVersionResource(apiVersion: "v1", resource: "pods"))
    let count = Atomic<Int>(0)
    let last = Atomic<UInt64>(0)
    let handler = ResourceEventHandler(
        onAdd: { _, initial in
            if !initial {
                count.add(1, ordering: .relaxed)
                last.store(MonotonicClock.nanoseconds(), ordering: .relaxed)
            }
        },
        onUpdate: { _, _ in
            count.add(1, ordering: .relaxed)
            last.store(MonotonicClock.nanoseconds(), ordering: .relaxed)
        },
        onDelete: { _, _ in
            count.add(1, ordering: .relaxed)
            last.store(MonotonicClock.nanoseconds(), ordering: .relaxed)
        })
    try informer.addHandler(handler)
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(600)) else { throw KubeError.closed("informer did not sync") }
    let t0 = MonotonicClock.nanoseconds()
    let expected = events - events / 1000  // every 1000th event is a BOOKMARK
    var lastSeen = 0
    var lastChange = t0
    while true {
        usleep(2000)
        let n = count.load(ordering: .relaxed)
        let now = MonotonicClock.nanoseconds()
        if n >= expected { break }
        if n != lastSeen { lastSeen = n; lastChange = now }
        if now - lastChange > 2_000_000_000 { break }
    }
    let n = count.load(ordering: .relaxed)
    let seconds = Double(last.load(ordering: .relaxed) &- t0) / 1e9
    factory.shutdown()
    return "items=\(n) seconds=\(seconds) events_per_sec=\(seconds > 0 ? Double(n) / seconds : 0)"
}

/// The workqueue figure of benchmarks/workqueue/swift: keys circulate through get/forget/done/add.
/// `timings: false` is client-go's default (no metrics provider: no clock reads per cycle).
func workqueue(cycles: Int, workers: Int, timings: Bool) throws -> String {
    let keys = (0..<10_000).map { "ns-\($0 % 20)/obj-\($0)" }
    let queue = RateLimitingQueue<String>(name: "bench", timings: timings)
    for key in keys { queue.add(key) }
    let perWorker = cycles / workers
    let start = MonotonicClock.nanoseconds()
    var threads: [KubeThread] = []
    for w in 0..<workers {
        threads.append(try KubeThread.spawn(name: "worker-\(w)") {
            for _ in 0..<perWorker {
                guard let key = queue.get() else { return }
                queue.forget(key)
                queue.done(key)
                queue.add(key)
            }
        })
    }
    for thread in threads { thread.join() }
    let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
    queue.shutDown()
    let total = perWorker * workers
    return "items=\(total) seconds=\(seconds) cycles_per_sec=\(Double(total) / seconds)"
}

func run() -> Int32 {
    let args = CommandLine.arguments
    guard args.count >= 2 else {
        print("usage: KubeBench CASE ARGS (see main.swift)")
        return 2
    }
    do {
        switch args[1] {
        case "parse", "scan":
            guard args.count >= 3, let bytes = readFile(args[2]) else { print("no file"); return 2 }
            let t = MonotonicClock.seconds()
            let items = args[1] == "parse" ? try parseCase(bytes) : try scanCase(bytes)
            print("items=\(items) seconds=\(MonotonicClock.seconds() - t)")
        case "list-dynamic":
            let client = try makeClient(args[2])
            let t = MonotonicClock.seconds()
            let list = try client.resource(apiVersion: "v1", resource: "pods").list()
            // Read the clock while the list is alive: otherwise Swift frees it (after its last
            // use in the print) before the clock is read, and the time includes the freeing.
            let elapsed = MonotonicClock.seconds() - t
            withExtendedLifetime(list) { print("items=\(list.items.count) seconds=\(elapsed)") }
        case "list-typed":
            let client = try makeClient(args[2])
            let t = MonotonicClock.seconds()
            let list = try client.coreV1.pods(namespace: nil).list()
            // Read the clock while the list is alive: otherwise Swift frees it (after its last
            // use in the print) before the clock is read, and the time includes the freeing.
            let elapsed = MonotonicClock.seconds() - t
            withExtendedLifetime(list) { print("items=\(list.items.count) seconds=\(elapsed)") }
        case "list-typed-protobuf":
            print(try listTypedProtobuf(args[2]))
        case "cache-fill-json":
            print(try cacheFillJSON(args[2]))
        case "cache-fill-protobuf":
            print(try cacheFillProtobuf(args[2]))
        case "informer-sync":
            print(try informerSync(args[2], drop: args.count > 3 && args[3] == "drop"))
        case "lister-read":
            print(try listerRead(args[2], drop: args.contains("drop"), reads: args.count > 3 ? Int(args.last ?? "") ?? 100_000 : 100_000))
        case "informer-watch":
            print(try informerWatch(args[2], events: args.count > 3 ? Int(args[3]) ?? 100_000 : 100_000))
        case "workqueue":
            let cycles = args.count > 2 ? Int(args[2]) ?? 4_000_000 : 4_000_000
            let workers = args.count > 3 ? Int(args[3]) ?? 2 : 2
            print(try workqueue(cycles: cycles, workers: workers, timings: !(args.count > 4 && args[4] == "notimings")))
        default:
            print("unknown case \(args[1])")
            return 2
        }
        return 0
    } catch {
        print("error: \(error)")
        return 1
    }
}

exit(run())
