import KubeClient
import KubeCore
import KubeRuntime
/// `lister-read KUBECONFIG [drop] [READS]`: sync a dynamic informer on pods (library defaults),
/// then read random pods by key through the lister and take each one's JSON bytes
/// (`Lister.get` + `bytes`), timed in batches of 100 reads; prints the median per read.
/// Also prints where the cache's bytes go (RSS delta, stored form, shared values, JSON).
func listerRead(_ kubeconfig: String, drop: Bool, reads: Int) throws -> String {
    let client = try makeClient(kubeconfig)
    let options = InformerFactory.Options(transform: drop ? .dropManagedFields : .none)
    let factory = InformerFactory(client: client, options: options)
    let informer = try factory.informer(for: GroupVersionResource(apiVersion: "v1", resource: "pods"))
    let before = settledResidentBytes()
    try factory.start()
    guard factory.waitForSync(timeout: .seconds(600)) else { throw KubeError.closed("informer did not sync") }
    let after = settledResidentBytes()
    let lister = informer.lister
    let objects = informer.indexer.list()
    let keys = objects.map(\.key)
    guard !keys.isEmpty else { throw KubeError.closed("nothing cached") }
    var stored = 0
    var json = 0
    var keyBytes = 0
    for object in objects {
        stored += object.storedByteCount
        json += object.jsonByteCount
        keyBytes += object.key.utf8.count
    }
    let shared = CachedObject.sharedValueUsage
    let batches = max(reads / 100, 1)
    var perRead: [Double] = []
    perRead.reserveCapacity(batches)
    var x: UInt64 = 88_172_645_463_325_252
    var picks = [Int](repeating: 0, count: 100)
    var total = 0
    for _ in 0..<batches {
        for k in 0..<100 {
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            picks[k] = Int(x % UInt64(keys.count))
        }
        let t0 = MonotonicClock.nanoseconds()
        for k in 0..<100 {
            guard let object = lister.get(keys[picks[k]]) else { throw KubeError.closed("missing \(keys[picks[k]])") }
            total &+= object.bytes.count
        }
        perRead.append(Double(MonotonicClock.nanoseconds() - t0) / 100)
    }
    perRead.sort()
    let n = Double(keys.count)
    factory.shutdown()
    func us(_ ns: Double) -> String { String(Int((ns / 10).rounded())).withDecimal }
    return "items=\(keys.count) reads=\(batches * 100) us_per_read=\(us(perRead[batches / 2])) min_us=\(us(perRead[0]))"
        + " json_bytes_per_read=\(total / (batches * 100)) bytes_per_object=\(Int(Double(after - before) / n))"
        + " stored_per_object=\(Int(Double(stored) / n)) json_per_object=\(Int(Double(json) / n))"
        + " key_bytes_per_object=\(Int(Double(keyBytes) / n)) shared_entries=\(shared.entries)"
        + " shared_bytes_per_object=\(Int(Double(shared.bytes) / n))"
}

private extension String {
    /// "184" (hundredths) → "1.84".
    var withDecimal: String {
        let padded = count < 3 ? String(repeating: "0", count: 3 - count) + self : self
        return "\(padded.dropLast(2)).\(padded.suffix(2))"
    }
}
