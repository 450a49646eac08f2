import CCurl

extension TransportError {
    /// Maps a libcurl result code (and curl's error-buffer text, if any) to a `TransportError`.
    ///
    /// `detail` is curl's CURLOPT_ERRORBUFFER text; it names hosts and files but never
    /// credentials (those travel in headers and blobs, which curl does not echo).
    static func from(curlCode code: CURLcode, detail: String = "") -> TransportError {
        let kind = kindForCurl(code)
        var text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if kind == .tls, code == CURLE_PEER_FAILED_VERIFICATION, !text.contains("verif") {
            text = "server certificate did not verify: \(text)"
        }
        return TransportError(kind: kind, message: text, curlCode: Int(code.rawValue))
    }

    /// The coarse category of a CURLcode.
    static func kindForCurl(_ code: CURLcode) -> Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns
        case CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        case CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY, CURLE_PARTIAL_FILE,
             CURLE_BAD_CONTENT_ENCODING, CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT,
             CURLE_HTTP_RETURNED_ERROR, CURLE_TOO_MANY_REDIRECTS, CURLE_RANGE_ERROR:
            return .protocol
        default:
            return .other
        }
    }

    /// True for a connection that was dropped after the request may have been sent
    /// (reset, nothing received): safe to retry for GET/HEAD only, as client-go does.
    var isConnectionReset: Bool {
        guard let curlCode else { return false }
        let code = CURLcode(UInt32(curlCode))
        return code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING
    }
}
