@testable import KubeClient
import KubeCore
import Testing

@Suite("The log stream's bounded buffer")
struct PodLogBufferTests {
    @Test("a full buffer makes the transfer wait until the reader takes bytes (back-pressure)")
    func backPressure() throws {
        let buffer = PodLogBuffer(capacity: 4, link: nil)
        let first: [UInt8] = [1, 2, 3, 4]
        #expect(first.withUnsafeBytes { buffer.push($0) })
        let pushed = ConditionFlag()
        let thread = try KubeThread.spawn(name: "pusher") {
            let more: [UInt8] = [5]
            _ = more.withUnsafeBytes { buffer.push($0) }
            pushed.set()
        }
        #expect(!pushed.wait(seconds: 0.1))
        #expect(try buffer.read(maxLength: 2, deadline: nil, extra: nil) == [1, 2])
        #expect(pushed.wait(seconds: 10))
        thread.join()
        #expect(try buffer.read(maxLength: 10, deadline: nil, extra: nil) == [3, 4, 5])
        buffer.finish(nil)
        #expect(try buffer.read(maxLength: 10, deadline: nil, extra: nil) == [])
    }
}

/// A flag another thread sets, awaited with a bound.
/// `@unchecked Sendable`: `isSet` is guarded by `lock`.
final class ConditionFlag: @unchecked Sendable {
    private let lock = ConditionLock()
    private var isSet = false

    func set() { lock.withLock { isSet = true; lock.broadcast() } }

    func wait(seconds: Double) -> Bool {
        let deadline = MonotonicClock.deadline(after: .seconds(clamping: seconds))
        return lock.withLock {
            while !isSet { if !lock.wait(deadlineNanos: deadline) { break } }
            return isSet
        }
    }
}
