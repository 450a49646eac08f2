import KubeCore
import KubeProtobuf

/// Turns the watcher's JSON event lines into protobuf watch frames (`;stream=watch`):
/// a 4-byte big-endian length, then a bare WatchEvent whose object is a `k8s\0` document,
/// as kube-apiserver's raw stream serializer writes them.
final class ProtobufWatchSink: WatchSink, Sendable {
    static let contentType = KubeProtobuf.watchMediaType
    private let next: WatchSink

    init(_ next: WatchSink) { self.next = next }

    func send(_ bytes: [UInt8]) {
        var out: [UInt8] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            guard let event = try? JSON.parse(bytes: line), let type = event["type"]?.stringValue,
                  let object = event["object"],
                  let payload = try? KubeProtobuf.encodeWatchEvent(type: type, object: object) else { continue }
            out.append(contentsOf: KubeProtobuf.frame(payload))
        }
        if !out.isEmpty { next.send(out) }
    }

    func finish(abrupt: Bool) { next.finish(abrupt: abrupt) }
    func resume() { next.resume() }
    func blackhole() { next.blackhole() }
}
