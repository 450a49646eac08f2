import NIOCore
import NIOHTTP1
import KubeCore

/// The HTTP side of one watch: buffers encoded events (called under the cluster lock)
/// and writes them as chunks on the channel's event loop, coalescing bursts.
final class WatchStream: WatchSink, Sendable {
    private struct State {
        var buffer: [UInt8] = []
        var flushScheduled = false
        var finished = false
        var blackholed = false
    }

    private let channel: Channel
    private let faults: FaultInjector
    private let state = Locked(State())

    init(channel: Channel, faults: FaultInjector) {
        self.channel = channel
        self.faults = faults
    }

    func send(_ bytes: [UInt8]) {
        let schedule: Bool = state.withLock { s in
            guard !s.finished, !s.blackholed else { return false }
            s.buffer.append(contentsOf: bytes)
            guard !s.flushScheduled else { return false }
            s.flushScheduled = true
            return true
        }
        if schedule { channel.eventLoop.execute { self.flush() } }
    }

    func blackhole() {
        state.withLock { s in
            s.blackholed = true
            s.buffer = []
        }
    }

    func resume() {
        let schedule: Bool = state.withLock { s in
            guard !s.finished, !s.flushScheduled, !s.blackholed else { return false }
            s.flushScheduled = true
            return true
        }
        if schedule { channel.eventLoop.execute { self.flush() } }
    }

    private func flush() {
        if faults.watchesStalled {
            state.withLock { $0.flushScheduled = false }
            return
        }
        let bytes: [UInt8] = state.withLock { s in
            s.flushScheduled = false
            defer { s.buffer.removeAll(keepingCapacity: true) }
            return s.blackholed ? [] : s.buffer
        }
        guard !bytes.isEmpty else { return }
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer)), promise: nil)
    }

    func finish(abrupt: Bool) {
        let pending: [UInt8]? = state.withLock { s in
            // A blackholed stream never ends by itself: only the client hangs up.
            guard !s.finished, !s.blackholed else {
                s.finished = true
                return nil
            }
            s.finished = true
            defer { s.buffer = [] }
            return s.buffer
        }
        guard let pending else { return }
        let channel = self.channel
        let stalled = faults.watchesStalled
        channel.eventLoop.execute {
            if abrupt {
                channel.close(promise: nil)
                return
            }
            if !pending.isEmpty && !stalled {
                channel.write(HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: pending))), promise: nil)
            }
            channel.writeAndFlush(HTTPServerResponsePart.end(nil)).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }
}
