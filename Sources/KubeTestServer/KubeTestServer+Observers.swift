/// What a test can await instead of sleeping: states the server enters only once it has
/// handled a request.
extension KubeTestServer {
    /// Followed log streams (`pods/log?follow=true`, attach output) the server is serving now:
    /// a test awaits it to know that a followed request has reached the server, before it
    /// cancels or closes that request.
    public var logFollowers: Int { cluster.podLogs.followerCount }
}
