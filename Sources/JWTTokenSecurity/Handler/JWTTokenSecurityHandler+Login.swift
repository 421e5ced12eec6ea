import InternalAPISecurity

extension JWTTokenSecurityHandler {
    /// Handles `/login`: checks Basic credentials with the user store, issues a token and
    /// stores it. Returns 200 `{"AccessToken":"<jwt>"}`, 401 with a Basic challenge, 405, or
    /// 503 with `Retry-After` when the store is full and overflow eviction is off.
    ///
    /// - Throws: what the user store or the token store throws; the server responds with 503.
    func login(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        guard Self.allowedMethods.contains(request.method) else {
            return reject(
                request, context: context, user: nil, reason: "method-not-allowed", outcome: methodNotAllowed())
        }

        let credentials: BasicCredentials
        switch parseBasic(request) {
        case .success(let parsed):
            credentials = parsed
        case .failure(let rejection):
            return reject(
                request, context: context, user: nil, reason: rejection.label,
                outcome: basicChallenge(message: "Basic credentials are required to log in"))
        }

        guard
            let principal = try await userStore.authenticate(
                username: credentials.username, password: credentials.password)
        else {
            return reject(
                request, context: context, user: credentials.username, reason: "invalid-credentials",
                outcome: basicChallenge(message: "Invalid username or password"))
        }

        // An RSA signature takes a fraction of a millisecond of CPU, long enough to stall every
        // other connection of an event loop under a burst of logins, so it runs elsewhere.
        let now = clock.now()
        let issuer = self.issuer
        let issued = try await BlockingWork.run { try issuer.issue(for: principal, at: now) }
        let metadata = requestMetadata(request, user: principal.username)
        switch try await tokenStore.insert(issued.record, now: now) {
        case .stored(let evicted, _):
            cleanup.tokenStored()
            if evicted > 0 {
                context.events.record(.tokensEvicted(handler: name, count: evicted))
                context.logger.notice(
                    "tokens evicted to make room", metadata: metadata.merging(["count": String(evicted)]) { $1 })
            }
            context.events.record(.login(handler: name))
            context.logger.info(
                "login succeeded",
                metadata: metadata.merging(["token_digest": Self.digestPrefix(issued.record.digest)]) { $1 })
            return noStoreJSON("{\"AccessToken\":\(JSONText.quote(issued.token))}")

        case .full(let retryAfter):
            context.events.record(.tokenStoreFull(handler: name))
            context.logger.warning(
                "login failed",
                metadata: metadata.merging(["reason": "token-store-full", "retry_after": String(retryAfter)]) { $1 })
            return .respond(
                .error(
                    status: 503, message: "The token store is full; retry after the time in Retry-After",
                    headers: ["Retry-After": String(retryAfter)]))
        }
    }

    /// Reads Basic credentials with the shared parser, or returns the rejection label.
    private func parseBasic(_ request: SecurityRequest) -> Result<BasicCredentials, LoginRejection> {
        guard let header = request.authorization else {
            return .failure(LoginRejection("missing-credentials"))
        }
        do {
            switch try AuthorizationCredentials.parse(header) {
            case .basic(let credentials):
                return .success(credentials)
            case .bearer:
                return .failure(LoginRejection("unsupported-scheme"))
            }
        } catch {
            return .failure(LoginRejection(error.label))
        }
    }

    /// Logs and counts a rejected request, then returns `outcome`.
    func reject(
        _ request: SecurityRequest, context: SecurityContext, user: String?, reason: String,
        digest: TokenDigest? = nil, outcome: SecurityOutcome
    ) -> SecurityOutcome {
        var metadata = requestMetadata(request, user: user)
        metadata["reason"] = reason
        metadata["path"] = request.path
        if let digest { metadata["token_digest"] = Self.digestPrefix(digest) }
        context.events.record(.rejected(handler: name, reason: reason))
        context.logger.notice("authentication failed", metadata: metadata)
        return outcome
    }
}

/// A stable label saying why `/login` rejected a request, for logs and metrics.
struct LoginRejection: Error {
    let label: String

    init(_ label: String) {
        self.label = label
    }
}
