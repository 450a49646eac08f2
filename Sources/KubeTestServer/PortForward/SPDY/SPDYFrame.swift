import NIOCore

/// One SPDY/3.1 frame, as kubectl's spdystream sends and reads them
/// (http://www.chromium.org/spdy/spdy-protocol/spdy-protocol-draft3-1).
enum SPDYFrame: Equatable {
    case synStream(streamID: UInt32, associatedStreamID: UInt32, priority: UInt8, flags: UInt8, headers: [SPDYHeaderField])
    case synReply(streamID: UInt32, flags: UInt8, headers: [SPDYHeaderField])
    case rstStream(streamID: UInt32, status: UInt32)
    case settings(flags: UInt8, entries: [SPDYSetting])
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    case headers(streamID: UInt32, flags: UInt8, headers: [SPDYHeaderField])
    case windowUpdate(streamID: UInt32, delta: UInt32)
    case data(streamID: UInt32, flags: UInt8, payload: ByteBuffer)
}

/// Wire constants of SPDY/3.1.
enum SPDY {
    static let version: UInt16 = 3

    enum FrameType: UInt16 {
        case synStream = 1, synReply = 2, rstStream = 3, settings = 4, ping = 6, goAway = 7, headers = 8, windowUpdate = 9
    }

    /// FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender's half of the stream is done.
    static let flagFin: UInt8 = 0x01
    static let flagUnidirectional: UInt8 = 0x02

    enum RstStatus {
        static let protocolError: UInt32 = 1
        static let invalidStream: UInt32 = 2
        static let refusedStream: UInt32 = 3
        static let cancel: UInt32 = 5
        static let internalError: UInt32 = 6
    }

    enum GoAwayStatus {
        static let ok: UInt32 = 0
        static let protocolError: UInt32 = 1
    }

    /// The largest DATA payload the 24-bit length field can carry.
    static let maxFrameLength = (1 << 24) - 1
}

/// A header name/value pair (names are lowercase on the wire; several values of one name are
/// joined with NUL bytes).
struct SPDYHeaderField: Equatable, Sendable {
    let name: String
    let value: String
}

extension [SPDYHeaderField] {
    /// The first value of `name` (compared case-insensitively).
    func value(for name: String) -> String? {
        let wanted = name.lowercased()
        return first { $0.name.lowercased() == wanted }?.value
    }
}

/// One SETTINGS entry: flags, 24-bit id, value.
struct SPDYSetting: Equatable, Sendable {
    let flags: UInt8
    let id: UInt32
    let value: UInt32
}

/// A byte sequence that is not valid SPDY/3.1.
struct SPDYProtocolError: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
