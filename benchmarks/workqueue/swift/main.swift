// Workqueue throughput: get/forget/done/add cycles per second through a rate-limited queue
// with the default controller rate limiter, over 10,000 keys, with several worker threads
// (client-go's figure is about 3.2 million cycles/s with 2 workers).
//
//   WorkqueueBench [--workers 2] [--keys 10000] [--cycles 4000000] [--no-timings]
// --no-timings turns off the latency/duration metrics (client-go measures without them).
// Prints: cycles_per_sec=<n> seconds=<s> workers=<w>
import KubeCore
import KubeRuntime

var workers = 2
var keyCount = 10_000
var cycles = 4_000_000
var timings = true
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--workers": workers = args.next().flatMap { Int($0) } ?? workers
    case "--keys": keyCount = args.next().flatMap { Int($0) } ?? keyCount
    case "--cycles": cycles = args.next().flatMap { Int($0) } ?? cycles
    case "--no-timings": timings = false
    default: break
    }
}

let keySpace = keyCount
let keys = (0..<keySpace).map { "ns-\($0 % 20)/obj-\($0)" }
let queue = RateLimitingQueue<String>(name: "bench", timings: timings)
let perWorker = cycles / workers
let workerCount = workers

// All keys circulate: each cycle takes a key, forgets and finishes it, and adds it back,
// so the queue never runs dry and no worker waits for another.
for key in keys { queue.add(key) }
let start = MonotonicClock.nanoseconds()
var threads: [KubeThread] = []
for w in 0..<workerCount {
    let thread = try KubeThread.spawn(name: "worker-\(w)") {
        for _ in 0..<perWorker {
            guard let key = queue.get() else { return }
            queue.forget(key)
            queue.done(key)
            queue.add(key)
        }
    }
    threads.append(thread)
}
for thread in threads { thread.join() }
let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
queue.shutDown()
let total = perWorker * workerCount
print("cycles_per_sec=\(Int(Double(total) / seconds)) seconds=\(seconds) workers=\(workers) cycles=\(total) timings=\(timings)")
