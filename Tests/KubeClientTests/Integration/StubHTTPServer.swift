/// A loopback HTTP/1.1 server answering every request with the same 200 body (for
/// malformed-response tests the real test server cannot produce).
func StubHTTPServer(body: String) throws -> HostileHTTPServer {
    try HostileHTTPServer(head: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)",
                          filler: "", maxBytes: 0)
}

struct KubeTestStubError: Error {}
