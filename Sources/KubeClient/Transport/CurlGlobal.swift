import CCurl

/// `curl_global_init` must run once, before any other libcurl call and not concurrently
/// with one. A global `let` is initialised lazily and exactly once (swift_once), which is
/// what we need. The result is recorded so a failure surfaces as an error, not a crash.
let curlGlobalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Runs `curl_global_init` once; throws when libcurl could not initialise.
func ensureCurlInitialized() throws(KubeError) {
    let code = curlGlobalInitResult
    if code != CURLE_OK {
        throw .transport(.from(curlCode: code, detail: "curl_global_init failed"))
    }
}
