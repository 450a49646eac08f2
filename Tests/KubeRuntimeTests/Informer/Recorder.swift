import Foundation
import KubeCore
@testable import KubeRuntime

/// Records the events a handler receives, and replays them into a state.
final class Recorder: @unchecked Sendable {
    let lock = NSLock()
    private(set) var events: [InformerEvent] = []
    var delay: Double = 0
    /// Set when an object's resourceVersion ever went backwards for this handler.
    private(set) var regressions: [String] = []
    private var lastRV: [String: Int] = [:]
    private let gate = NSCondition()
    private var gateClosed = false

    /// Holds this handler's deliveries (on its own thread) until `openGate()`: makes "a slow
    /// handler does not hold back the others" checkable without timing.
    func closeGate() { gate.withLock { gateClosed = true } }

    func openGate() {
        gate.withLock {
            gateClosed = false
            gate.broadcast()
        }
    }

    var handler: ResourceEventHandler {
        ResourceEventHandler { [self] event in
            gate.withLock { while gateClosed { gate.wait() } }
            if delay > 0 { usleep(UInt32(delay * 1e6)) }
            record(event)
        }
    }

    func record(_ event: InformerEvent) {
        lock.lock()
        defer { lock.unlock() }
        events.append(event)
        let o = event.object
        let rv = Int(o.resourceVersion) ?? 0
        if case .delete = event {
            // Deletes carry the last known or final state; the key may come back later.
            if let last = lastRV[o.key], rv < last { regressions.append("\(o.key): \(last) -> \(rv) (delete)") }
            lastRV[o.key] = nil
            return
        }
        if let last = lastRV[o.key], rv < last { regressions.append("\(o.key): \(last) -> \(rv)") }
        lastRV[o.key] = rv
    }

    var count: Int { lock.withLock { events.count } }
    var snapshot: [InformerEvent] { lock.withLock { events } }

    /// The state obtained by replaying every event.
    var replayed: [String: [UInt8]] {
        var state: [String: [UInt8]] = [:]
        for event in snapshot {
            switch event {
            case .add(let o, _): state[o.key] = o.bytes
            case .update(_, let o): state[o.key] = o.bytes
            case .delete(let o, _): state[o.key] = nil
            }
        }
        return state
    }
}
