import KubeCore
import KubeProtobuf

extension APIHandler {
    /// Every request enters here: protobuf bodies of built-in types are turned into JSON and
    /// protobuf answers are encoded from the JSON path's answer, so the resource handlers
    /// stay JSON-only. Patch bodies are never protobuf (upstream neither): they keep their
    /// content type and get the patch handler's 415.
    func handle(_ request: ServerRequest) -> ServerResponse {
        // Unauthenticated requests get their 401 from the JSON path before any body is decoded.
        guard authenticate(request) != nil,
              let builtin = ProtobufNegotiation.resourceIsBuiltin(request, registry: registry) else {
            return handleJSON(request)
        }
        var request = request
        let choice = ProtobufNegotiation.choose(accept: request.headers["accept"], protobufAllowed: builtin)
        if choice == .notAcceptable {
            return .status(.notAcceptable(ProtobufNegotiation.notAcceptableMessage(builtin: builtin)))
        }
        if request.method != "PATCH", ProtobufNegotiation.isProtobuf(request.headers["content-type"]), !request.body.isEmpty {
            guard builtin else {
                return .status(Status(code: 415, reason: .unsupportedMediaType,
                                      message: ProtobufNegotiation.unsupportedMediaTypeMessage(builtin: false)))
            }
            do {
                request.body = try KubeProtobuf.decode(request.body).serializedBytes()
                request.headers["content-type"] = "application/json"
            } catch {
                return encoded(.status(.badRequest("the body of the request could not be decoded: \(error.description)")), choice)
            }
        }
        if choice == .protobuf { request.headers["accept"] = "application/json" }
        return encoded(handleJSON(request), choice)
    }

    private func encoded(_ response: ServerResponse, _ choice: ProtobufNegotiation.Choice) -> ServerResponse {
        guard choice == .protobuf else { return response }
        switch response {
        case .complete(let status, let headers, let body):
            guard let type = headers.first(where: { $0.0.lowercased() == "content-type" })?.1,
                  type.hasPrefix("application/json"),
                  let json = try? JSON.parse(bytes: body),
                  let apiVersion = json["apiVersion"]?.stringValue, let kind = json["kind"]?.stringValue,
                  KubeProtobuf.hasSchema(apiVersion: apiVersion, kind: kind),
                  let bytes = try? KubeProtobuf.encode(json) else { return response }
            let rest = headers.filter { $0.0.lowercased() != "content-type" }
            return .complete(status: status, headers: [("Content-Type", KubeProtobuf.mediaType)] + rest, body: bytes)
        case .watch(var plan):
            plan.protobuf = true
            return .watch(plan)
        case .followLog:
            return response
        }
    }
}
