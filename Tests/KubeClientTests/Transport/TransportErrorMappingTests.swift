import CCurl
import KubeCore
import Testing
@testable import KubeClient

@Suite("Transport error mapping")
struct TransportErrorMappingTests {
    @Test("curl codes map to the documented transport error kinds")
    func curlCodesMapToKinds() {
        let cases: [(CURLcode, TransportError.Kind)] = [
            (CURLE_COULDNT_RESOLVE_HOST, .dns),
            (CURLE_COULDNT_RESOLVE_PROXY, .dns),
            (CURLE_COULDNT_CONNECT, .connect),
            (CURLE_RECV_ERROR, .connect),
            (CURLE_SEND_ERROR, .connect),
            (CURLE_GOT_NOTHING, .connect),
            (CURLE_PEER_FAILED_VERIFICATION, .tls),
            (CURLE_SSL_CONNECT_ERROR, .tls),
            (CURLE_SSL_CERTPROBLEM, .tls),
            (CURLE_OPERATION_TIMEDOUT, .timeout),
            (CURLE_ABORTED_BY_CALLBACK, .cancelled),
            (CURLE_WEIRD_SERVER_REPLY, .protocol),
            (CURLE_HTTP2, .protocol),
            (CURLE_BAD_CONTENT_ENCODING, .protocol),
            (CURLE_OUT_OF_MEMORY, .other),
        ]
        for (code, kind) in cases {
            #expect(TransportError.from(curlCode: code).kind == kind, "CURLcode \(code.rawValue)")
        }
    }

    @Test("a transport error keeps curl's code and message")
    func keepsCodeAndMessage() {
        let error = TransportError.from(curlCode: CURLE_COULDNT_CONNECT, detail: "Failed to connect to 127.0.0.1 port 1")
        #expect(error.curlCode == Int(CURLE_COULDNT_CONNECT.rawValue))
        #expect(error.message.contains("127.0.0.1"))
        #expect(KubeError.transport(error).description.hasPrefix("connect error:"))
    }

    @Test("only resets and empty replies count as connection resets")
    func connectionResets() {
        #expect(TransportError.from(curlCode: CURLE_RECV_ERROR).isConnectionReset)
        #expect(TransportError.from(curlCode: CURLE_GOT_NOTHING).isConnectionReset)
        #expect(!TransportError.from(curlCode: CURLE_COULDNT_CONNECT).isConnectionReset)
    }

    @Test("KubeError predicates follow the Status reason and code")
    func predicates() {
        #expect(KubeError.api(Status(code: 404, reason: .notFound, message: "x")).isNotFound)
        #expect(KubeError.api(Status(code: 404, reason: .unknown, message: "")).isNotFound)
        #expect(KubeError.api(Status(code: 409, reason: .alreadyExists, message: "")).isAlreadyExists)
        #expect(!KubeError.api(Status(code: 409, reason: .alreadyExists, message: "")).isConflict)
        #expect(KubeError.api(Status(code: 409, reason: .conflict, message: "")).isConflict)
        #expect(KubeError.api(Status(code: 410, reason: .gone, message: "")).isGone)
        #expect(KubeError.api(Status(code: 410, reason: .expired, message: "")).isGone)
        #expect(KubeError.api(Status(code: 500, reason: .expired, message: "")).isGone)
        #expect(KubeError.api(Status(code: 422, reason: .invalid, message: "")).isInvalid)
        #expect(KubeError.api(Status(code: 403, reason: .forbidden, message: "")).isForbidden)
        #expect(KubeError.api(Status(code: 401, reason: .unauthorized, message: "")).isUnauthorized)
        #expect(KubeError.api(Status(code: 429, reason: .tooManyRequests, message: "")).isTooManyRequests)
        #expect(KubeError.api(Status(code: 504, reason: .timeout, message: "")).isTimeout)
        #expect(KubeError.transport(TransportError(kind: .timeout, message: "t")).isTimeout)
        #expect(!KubeError.transport(TransportError(kind: .connect, message: "c")).isNotFound)
        #expect(KubeError.transport(TransportError(kind: .cancelled, message: "c")).isCancelled)
    }

    @Test("a non-Status error body becomes a Status synthesized from the HTTP code")
    func synthesizedStatus() {
        let response = HTTPResponse(statusCode: 503, headers: HTTPHeaders([.init(name: "Retry-After", value: "3")]),
                                    body: Array("<html>busy</html>".utf8))
        let status = StatusDecoding.status(for: response, method: "GET", path: "/api/v1/pods")
        #expect(status.code == 503)
        #expect(status.reason == .serviceUnavailable)
        #expect(status.message.contains("busy"))
        #expect(status.details?.retryAfterSeconds == 3)
    }

    @Test("a Status error body is decoded as the server sent it")
    func decodedStatus() {
        let body = #"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}"#
        let status = StatusDecoding.status(for: HTTPResponse(statusCode: 404, body: Array(body.utf8)),
                                           method: "GET", path: "/api/v1/namespaces/default/pods/x")
        #expect(status.code == 404)
        #expect(status.reason == .notFound)
        #expect(status.message == "pods \"x\" not found")
        #expect(status.details?.name == "x")
    }
}
