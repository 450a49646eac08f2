import KubeCore

/// Turns a non-2xx response into the `Status` the error carries.
enum StatusDecoding {
    /// The server's Status when the body is one; otherwise a Status synthesized from the
    /// HTTP code (client-go's `newUnstructuredResponseError`), quoting a short text body.
    static func status(for response: HTTPResponse, method: String, path: String) -> Status {
        if !response.body.isEmpty, let json = try? JSON.parse(bytes: response.body), var status = Status(json: json) {
            if status.code == 0 { status.code = response.statusCode }
            if status.code == 429 || status.code >= 500, status.details?.retryAfterSeconds == nil,
               let retry = response.headers["Retry-After"].flatMap({ Int($0.trimmingSpaces) }) {
                var details = status.details ?? StatusDetails()
                details.retryAfterSeconds = retry
                status.details = details
            }
            return status
        }
        let code = response.statusCode
        let reason = reasonFor(code: code)
        var message = defaultMessage(code: code, method: method, path: path)
        if let text = shortText(response.body) {
            message += ": \(text)"
        }
        var details: StatusDetails? = nil
        if let retry = response.headers["Retry-After"].flatMap({ Int($0.trimmingSpaces) }) {
            details = StatusDetails(retryAfterSeconds: retry)
        }
        return Status(code: code, reason: reason, message: message, details: details)
    }

    static func reasonFor(code: Int) -> StatusReason {
        switch code {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 403: return .forbidden
        case 404: return .notFound
        case 405: return .methodNotAllowed
        case 406: return .notAcceptable
        case 409: return .conflict
        case 410: return .gone
        case 413: return .requestEntityTooLarge
        case 415: return .unsupportedMediaType
        case 422: return .invalid
        case 429: return .tooManyRequests
        case 500: return .internalError
        case 503: return .serviceUnavailable
        case 504: return .timeout
        default: return .unknown
        }
    }

    static func defaultMessage(code: Int, method: String, path: String) -> String {
        switch code {
        case 401: return "Unauthorized"
        case 403: return "forbidden: \(method) \(path)"
        case 404: return "the server could not find the requested resource (\(method) \(path))"
        case 409: return "the server reported a conflict (\(method) \(path))"
        case 410: return "the resource version is too old (\(method) \(path))"
        case 422: return "the server rejected the object as invalid (\(method) \(path))"
        case 429: return "the server has received too many requests and has asked us to try again later"
        case 500: return "an error on the server has prevented the request from succeeding (\(method) \(path))"
        case 503: return "the server is currently unable to handle the request (\(method) \(path))"
        case 504: return "the server was unable to return a response in the time allotted (\(method) \(path))"
        default: return "the server responded with HTTP \(code) (\(method) \(path))"
        }
    }

    /// A one-line printable excerpt of a non-Status body, or nil.
    static func shortText(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        let limit = 256
        var text = String(decoding: body.prefix(limit), as: UTF8.self)
        text = String(text.map { $0.isNewline ? " " : $0 })
        let trimmed = String(text.trimmingSpaces)
        guard !trimmed.isEmpty else { return nil }
        return body.count > limit ? trimmed + "…" : trimmed
    }
}
