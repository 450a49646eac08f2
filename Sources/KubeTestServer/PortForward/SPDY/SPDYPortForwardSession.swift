import NIOCore

/// Where a SPDY session's bytes go: the raw upgraded socket or a WebSocket tunnel.
protocol SPDYSessionOutput: AnyObject {
    var allocator: ByteBufferAllocator { get }
    var isWritable: Bool { get }
    /// Writes and flushes one chunk of the SPDY byte stream.
    func send(_ bytes: ByteBuffer)
    /// Ends the client connection.
    func closeConnection()
    /// Stops (or resumes) reading from the client while a target cannot take more.
    func pauseReading(_ paused: Bool)
}

/// kubelet's port-forward over SPDY/3.1 (httpstream.go): per forwarded connection the client opens
/// an `error` and a `data` stream carrying the same `port` and `requestid` headers; once both are
/// there the server dials the pod port and pipes bytes between it and the data stream. A failure
/// is written on the error stream. The target's EOF becomes FIN on the data stream and then on the
/// error stream; the client's FIN half-closes the target; RST_STREAM on the data stream drops it.
/// Flow control is not enforced: spdystream neither sends nor honours WINDOW_UPDATE.
final class SPDYPortForwardSession {
    private enum StreamKind { case data, error }

    private struct StreamInfo {
        let kind: StreamKind
        let pair: Int
    }

    private final class Pair {
        let id: Int
        let requestID: String
        var port: Int
        var dataStream: UInt32?
        var errorStream: UInt32?
        var target: TargetConnection?
        var dataFinSent = false
        var dataReset = false
        var clientFinishedData = false
        var started = false

        init(id: Int, requestID: String, port: Int) {
            self.id = id
            self.requestID = requestID
            self.port = port
        }
    }

    private let server: PortForwardContext
    private let namespace: String
    private let pod: String
    private let eventLoop: any EventLoop
    private weak var output: (any SPDYSessionOutput)?
    private let decoder: SPDYFrameDecoder
    private let encoder: SPDYFrameEncoder
    private var streams: [UInt32: StreamInfo] = [:]
    private var pairs: [Int: Pair] = [:]
    private var pairByRequestID: [String: Int] = [:]
    private var nextPairID = 0
    private var lastClientStreamID: UInt32 = 0
    private var closed = false
    private var clientReadPaused = false

    init(server: PortForwardContext, namespace: String, pod: String, eventLoop: any EventLoop,
         output: any SPDYSessionOutput) throws(SPDYProtocolError) {
        self.server = server
        self.namespace = namespace
        self.pod = pod
        self.eventLoop = eventLoop
        self.output = output
        self.decoder = try SPDYFrameDecoder()
        self.encoder = try SPDYFrameEncoder()
    }

    // MARK: input from the client connection

    func receive(_ bytes: ByteBuffer) {
        guard !closed else { return }
        decoder.append(bytes)
        do {
            while !closed, let frame = try decoder.next() {
                handle(frame)
            }
        } catch {
            send(.goAway(lastGoodStreamID: lastClientStreamID, status: SPDY.GoAwayStatus.protocolError))
            shutDown(closeConnection: true)
        }
    }

    /// The client connection is gone: every target connection goes with it.
    func connectionClosed() {
        shutDown(closeConnection: false)
    }

    func outputWritabilityChanged() {
        let writable = output?.isWritable ?? true
        for pair in pairs.values { pair.target?.pauseReading(!writable) }
    }

    private func handle(_ frame: SPDYFrame) {
        switch frame {
        case .synStream(let streamID, _, _, let flags, let headers):
            openStream(streamID, flags: flags, headers: headers)
        case .data(let streamID, let flags, let payload):
            receiveData(streamID, flags: flags, payload: payload)
        case .rstStream(let streamID, _):
            resetStream(streamID)
        case .ping(let id):
            // Odd ids are the client's pings; even ones would be replies to ours (we send none).
            if id % 2 == 1 { send(.ping(id: id)) }
        case .goAway:
            shutDown(closeConnection: true)
        case .headers(let streamID, let flags, _):
            if flags & SPDY.flagFin != 0 { remoteFinished(streamID) }
        case .synReply, .settings, .windowUpdate:
            break
        }
    }

    private func openStream(_ streamID: UInt32, flags: UInt8, headers: [SPDYHeaderField]) {
        guard streamID % 2 == 1, streams[streamID] == nil, streamID > lastClientStreamID else {
            send(.rstStream(streamID: streamID, status: SPDY.RstStatus.protocolError))
            return
        }
        lastClientStreamID = streamID
        guard let portText = headers.value(for: "port"), !portText.isEmpty else {
            return reject(streamID)
        }
        guard let port = UInt16(portText), port > 0 else { return reject(streamID) }
        let kind: StreamKind
        switch headers.value(for: "streamtype") {
        case "data": kind = .data
        case "error": kind = .error
        default: return reject(streamID)
        }
        // Old clients sent no request id: kubelet pairs error stream N with data stream N+2.
        let requestID = headers.value(for: "requestid").flatMap { $0.isEmpty ? nil : $0 }
            ?? String(kind == .error ? streamID : streamID &- 2)
        let pair: Pair
        if let existing = pairByRequestID[requestID].flatMap({ pairs[$0] }) {
            pair = existing
        } else {
            pair = Pair(id: nextPairID, requestID: requestID, port: Int(port))
            nextPairID += 1
            pairs[pair.id] = pair
            pairByRequestID[requestID] = pair.id
        }
        switch kind {
        case .data:
            guard pair.dataStream == nil else { return reject(streamID) }
            pair.dataStream = streamID
            pair.port = Int(port)
        case .error:
            guard pair.errorStream == nil else { return reject(streamID) }
            pair.errorStream = streamID
        }
        streams[streamID] = StreamInfo(kind: kind, pair: pair.id)
        send(.synReply(streamID: streamID, flags: 0, headers: []))
        if flags & SPDY.flagFin != 0 { remoteFinished(streamID) }
        if pair.dataStream != nil && pair.errorStream != nil { start(pair) }
    }

    /// What spdystream does when the stream handler refuses a stream: RST_STREAM with CANCEL.
    private func reject(_ streamID: UInt32) {
        send(.rstStream(streamID: streamID, status: SPDY.RstStatus.cancel))
    }

    private func start(_ pair: Pair) {
        guard !pair.started else { return }
        pair.started = true
        switch server.resolve(namespace: namespace, pod: pod, port: pair.port) {
        case .failure(let failure):
            fail(pair, message: failure.message)
        case .success(let endpoint):
            let target = TargetConnection(id: pair.id, eventLoop: eventLoop, delegate: self)
            pair.target = target
            if pair.clientFinishedData { target.finishWriting() }
            if !(output?.isWritable ?? true) { target.pauseReading(true) }
            target.connect(host: endpoint.host, port: endpoint.port)
        }
    }

    private func receiveData(_ streamID: UInt32, flags: UInt8, payload: ByteBuffer) {
        guard let info = streams[streamID], let pair = pairs[info.pair] else { return }
        if info.kind == .data, payload.readableBytes > 0, let target = pair.target, !pair.dataReset {
            target.write(payload)
            if !target.isWritable { pauseClientReads(true) }
        }
        if flags & SPDY.flagFin != 0 { remoteFinished(streamID) }
    }

    private func remoteFinished(_ streamID: UInt32) {
        guard let info = streams[streamID], info.kind == .data, let pair = pairs[info.pair] else { return }
        pair.clientFinishedData = true
        pair.target?.finishWriting()
    }

    private func resetStream(_ streamID: UInt32) {
        guard let info = streams[streamID], let pair = pairs[info.pair] else { return }
        switch info.kind {
        case .data:
            pair.dataReset = true
            finish(pair)
        case .error:
            streams[streamID] = nil
            pair.errorStream = nil
        }
    }

    // MARK: ending pairs and the session

    private func fail(_ pair: Pair, message: String) {
        if let errorStream = pair.errorStream {
            var buffer = allocator.buffer(capacity: message.utf8.count)
            buffer.writeString(message)
            send(.data(streamID: errorStream, flags: 0, payload: buffer))
        }
        finish(pair)
    }

    /// The forwarded connection is over: FIN whatever the client may still read, drop the target.
    private func finish(_ pair: Pair) {
        guard pairs[pair.id] != nil else { return }
        if let dataStream = pair.dataStream, !pair.dataReset, !pair.dataFinSent {
            pair.dataFinSent = true
            send(.data(streamID: dataStream, flags: SPDY.flagFin, payload: allocator.buffer(capacity: 0)))
        }
        if let errorStream = pair.errorStream {
            send(.data(streamID: errorStream, flags: SPDY.flagFin, payload: allocator.buffer(capacity: 0)))
        }
        pair.target?.close()
        pair.target = nil
        if let id = pair.dataStream { streams[id] = nil }
        if let id = pair.errorStream { streams[id] = nil }
        pairs[pair.id] = nil
        if pairByRequestID[pair.requestID] == pair.id { pairByRequestID[pair.requestID] = nil }
    }

    private func shutDown(closeConnection: Bool) {
        guard !closed else { return }
        closed = true
        for pair in pairs.values { pair.target?.close() }
        pairs = [:]
        streams = [:]
        pairByRequestID = [:]
        if closeConnection { output?.closeConnection() }
    }

    // MARK: output

    private var allocator: ByteBufferAllocator { output?.allocator ?? ByteBufferAllocator() }

    private func send(_ frame: SPDYFrame) {
        guard let output, !closed else { return }
        var buffer = output.allocator.buffer(capacity: 64)
        do {
            try encoder.encode(frame, into: &buffer)
        } catch {
            shutDown(closeConnection: true)
            return
        }
        output.send(buffer)
    }

    private func pauseClientReads(_ paused: Bool) {
        guard paused != clientReadPaused else { return }
        clientReadPaused = paused
        output?.pauseReading(paused)
    }
}

extension SPDYPortForwardSession: TargetConnectionDelegate {
    func targetConnected(_ target: TargetConnection) {}

    func target(_ target: TargetConnection, failedToConnect error: any Error) {
        guard let pair = pairs[target.id] else { return }
        let endpoint = server.registry.target(namespace: namespace, pod: pod, port: pair.port)
        let address = endpoint.map { "\($0.host):\($0.port)" } ?? "localhost:\(pair.port)"
        fail(pair, message: server.failure(namespace: namespace, pod: pod, port: pair.port,
                                           reason: "failed to connect to \(address): \(error)").message)
    }

    func target(_ target: TargetConnection, read buffer: ByteBuffer) {
        guard let pair = pairs[target.id], let dataStream = pair.dataStream, !pair.dataReset else { return }
        var rest = buffer
        // Keep frames well under the 24-bit limit and the peer's read buffers.
        while rest.readableBytes > 0, let chunk = rest.readSlice(length: min(rest.readableBytes, 64 * 1024)) {
            send(.data(streamID: dataStream, flags: 0, payload: chunk))
        }
        if let output, !output.isWritable { target.pauseReading(true) }
    }

    func targetFinished(_ target: TargetConnection) {
        guard let pair = pairs[target.id] else { return }
        finish(pair)
    }

    func targetWritabilityChanged(_ target: TargetConnection) {
        guard clientReadPaused, pairs.values.allSatisfy({ $0.target?.isWritable ?? true }) else { return }
        pauseClientReads(false)
    }
}
