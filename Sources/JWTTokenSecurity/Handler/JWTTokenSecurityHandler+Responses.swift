import InternalAPISecurity

extension JWTTokenSecurityHandler {
    /// A 401 for `/login`, challenging for Basic credentials.
    func basicChallenge(message: String) -> SecurityOutcome {
        .respond(
            .error(
                status: 401, message: message,
                headers: ["WWW-Authenticate": AuthenticationChallenge.basic(realm: realm)]))
    }

    /// A 401 for a bearer-protected path, with `error="invalid_token"` when a token was presented.
    func bearerChallenge(message: String, invalidToken: Bool) -> SecurityOutcome {
        .respond(
            .error(
                status: 401, message: message,
                headers: ["WWW-Authenticate": AuthenticationChallenge.bearer(realm: realm, invalidToken: invalidToken)])
        )
    }

    /// A 405 for `/login` and `/logout` with a method other than GET or POST.
    func methodNotAllowed() -> SecurityOutcome {
        .respond(.error(status: 405, message: "Method not allowed", headers: ["Allow": "GET, POST"]))
    }

    /// A JSON 200 that must not be cached, for `/login` and `/logout`.
    func noStoreJSON(_ body: String) -> SecurityOutcome {
        .respond(.json(status: 200, body: body, headers: ["Cache-Control": "no-store"]))
    }

    /// The metadata of every log line about a request: user, client and request id.
    func requestMetadata(_ request: SecurityRequest, user: String?) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "client": request.clientAddress, "request_id": request.requestID, "handler": name,
        ]
        if let user { metadata["user"] = user }
        return metadata
    }

    /// The first 12 hex digits of a token digest: enough to correlate log lines, useless as a credential.
    static func digestPrefix(_ digest: TokenDigest) -> String {
        String(digest.hex.prefix(12))
    }
}
