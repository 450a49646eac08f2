#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeCore
import Synchronization

/// Decodes the items of a LIST body from their byte ranges (`ListScan.split`), in server
/// order, on up to `maxThreads` threads for large lists.
///
/// Building a value from an item's bytes (parse, then init the model) is what a large list
/// costs — about 1.2 s for 10,000 pods on one core — and items are independent, so big
/// lists are shared between the calling thread and helper threads (`KubeThread`, joined
/// before returning). Threads take chunks of items from a shared counter, so a thread that
/// the machine slows down takes fewer chunks, and each writes its values straight into
/// their final places in the result. Small lists stay on the calling thread: a thread
/// start costs more than it saves there.
enum ListItemDecoder {
    /// At most this many threads (the caller included) decode one list.
    static let maxThreads = 2
    /// Lists with fewer items, or a smaller body, are decoded on the calling thread.
    static let parallelMinItems = 128
    static let parallelMinBytes = 64 * 1024

    /// `decode(body, range, index)` for every item; the first error in item order is thrown
    /// (as decoding one item after the other would).
    static func decode<T: Sendable>(
        body: [UInt8], items: [Range<Int>],
        _ decode: @escaping @Sendable (UnsafeRawBufferPointer, Range<Int>, Int) throws(KubeError) -> T
    ) throws(KubeError) -> [T] {
        let threads = min(maxThreads, onlineProcessors())
        if threads < 2 || items.count < parallelMinItems || body.count < parallelMinBytes {
            return try decodeSerially(body: body, items: items, decode)
        }
        var failure: KubeError?
        let result = [T](unsafeUninitializedCapacity: items.count) { buffer, initializedCount in
            guard let base = buffer.baseAddress else { return }
            let job = Job(body: body, items: items, out: base, decode: decode)
            var helpers: [KubeThread] = []
            for n in 1..<threads {
                // No thread: the threads already running (at least the caller) take its share.
                guard let thread = try? KubeThread.spawn(name: "list-decode-\(n)", { job.run() }) else { break }
                helpers.append(thread)
            }
            job.run()
            for thread in helpers { thread.join() }
            if let error = job.firstError() {
                job.deinitializeAll()
                failure = error
                initializedCount = 0
            } else {
                initializedCount = items.count
            }
        }
        if let failure { throw failure }
        return result
    }

    private static func decodeSerially<T>(
        body: [UInt8], items: [Range<Int>],
        _ decode: (UnsafeRawBufferPointer, Range<Int>, Int) throws(KubeError) -> T
    ) throws(KubeError) -> [T] {
        let result: Result<[T], KubeError> = body.withUnsafeBytes { raw in
            var out: [T] = []
            out.reserveCapacity(items.count)
            for index in items.indices {
                do throws(KubeError) {
                    out.append(try decode(raw, items[index], index))
                } catch {
                    return .failure(error)
                }
            }
            return .success(out)
        }
        return try result.get()
    }

    private static func onlineProcessors() -> Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// One parallel decode. `@unchecked Sendable`: `out` and the per-chunk records are
    /// written by the one thread that took the chunk (from `next`) and read by the caller
    /// only after joining every helper; the body and ranges are read-only.
    private final class Job<T: Sendable>: @unchecked Sendable {
        let body: [UInt8]
        let items: [Range<Int>]
        let out: UnsafeMutablePointer<T>
        let decode: @Sendable (UnsafeRawBufferPointer, Range<Int>, Int) throws(KubeError) -> T
        let chunkSize: Int
        let chunkCount: Int
        /// The next chunk to take.
        let next = Atomic<Int>(0)
        /// Set when a chunk failed: the threads stop taking new chunks.
        let failed = Atomic<Bool>(false)
        /// Per chunk: how many of its items (a prefix) hold a value, and its error if any.
        /// Raw memory, not arrays: two threads write different elements at once.
        let decodedCounts: UnsafeMutablePointer<Int>
        let errors: UnsafeMutablePointer<KubeError?>

        init(body: [UInt8], items: [Range<Int>], out: UnsafeMutablePointer<T>,
             decode: @escaping @Sendable (UnsafeRawBufferPointer, Range<Int>, Int) throws(KubeError) -> T) {
            self.body = body
            self.items = items
            self.out = out
            self.decode = decode
            // Chunks small enough to balance two threads, large enough that taking one is rare.
            chunkSize = items.count >= 4096 ? 32 : 8
            chunkCount = (items.count + chunkSize - 1) / chunkSize
            decodedCounts = .allocate(capacity: chunkCount)
            decodedCounts.initialize(repeating: 0, count: chunkCount)
            errors = .allocate(capacity: chunkCount)
            errors.initialize(repeating: nil, count: chunkCount)
        }

        deinit {
            errors.deinitialize(count: chunkCount)
            errors.deallocate()
            decodedCounts.deallocate()
        }

        func run() {
            body.withUnsafeBytes { raw in
                while !failed.load(ordering: .relaxed) {
                    let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if chunk >= chunkCount { return }
                    let start = chunk * chunkSize
                    let end = min(start + chunkSize, items.count)
                    var index = start
                    do throws(KubeError) {
                        while index < end {
                            (out + index).initialize(to: try decode(raw, items[index], index))
                            index += 1
                        }
                    } catch {
                        errors[chunk] = error
                        failed.store(true, ordering: .relaxed)
                    }
                    decodedCounts[chunk] = index - start
                }
            }
        }

        /// The error of the first failed chunk. Every chunk before it was taken earlier and
        /// so ran to its end: this is the first error in item order.
        func firstError() -> KubeError? {
            for chunk in 0..<chunkCount {
                if let error = errors[chunk] { return error }
            }
            return nil
        }

        func deinitializeAll() {
            for chunk in 0..<chunkCount where decodedCounts[chunk] > 0 {
                (out + chunk * chunkSize).deinitialize(count: decodedCounts[chunk])
            }
        }
    }
}
