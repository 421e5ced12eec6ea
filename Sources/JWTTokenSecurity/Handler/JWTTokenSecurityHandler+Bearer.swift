import InternalAPISecurity

extension JWTTokenSecurityHandler {
    /// Accepts a request whose bearer token is in the store, live and not expired, and
    /// proceeds with the principal of the token's record. Anything else gets a 401 with a
    /// Bearer challenge.
    ///
    /// - Throws: what the token store throws; the server responds with 503.
    func authenticateBearer(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        let digest: TokenDigest
        switch try bearerDigest(request, context: context) {
        case .success(let found):
            digest = found
        case .failure(let rejection):
            return rejection.outcome
        }

        guard let record = try await tokenStore.validate(digest, now: clock.now()) else {
            return reject(
                request, context: context, user: nil, reason: "invalid-token", digest: digest,
                outcome: bearerChallenge(message: "The access token is invalid or expired", invalidToken: true))
        }
        context.events.record(.authenticated(handler: name))
        return .proceed(Principal(username: record.username, isAdmin: record.isAdmin))
    }

    /// Handles `/logout`: revokes exactly the presented token and returns 200. An unknown,
    /// expired or already revoked token gets 401; of two concurrent logouts of one token, one
    /// gets 200 and the other 401, because the store's `revoke` returns true once.
    ///
    /// - Throws: what the token store throws; the server responds with 503.
    func logout(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        guard Self.allowedMethods.contains(request.method) else {
            return reject(
                request, context: context, user: nil, reason: "method-not-allowed", outcome: methodNotAllowed())
        }
        let digest: TokenDigest
        switch try bearerDigest(request, context: context) {
        case .success(let found):
            digest = found
        case .failure(let rejection):
            return rejection.outcome
        }

        // Validating first keeps an expired token from logging out successfully.
        guard let record = try await tokenStore.validate(digest, now: clock.now()),
            try await tokenStore.revoke(digest)
        else {
            return reject(
                request, context: context, user: nil, reason: "invalid-token", digest: digest,
                outcome: bearerChallenge(message: "The access token is invalid or expired", invalidToken: true))
        }

        var metadata = requestMetadata(request, user: record.username)
        metadata["token_digest"] = Self.digestPrefix(digest)
        context.events.record(.logout(handler: name))
        context.logger.info("logout succeeded", metadata: metadata)
        return noStoreJSON("{\"Message\":\"Logout successful\"}")
    }

    /// Reads the bearer token with the shared parser and returns its digest, or the 401 to send.
    private func bearerDigest(_ request: SecurityRequest, context: SecurityContext) throws -> Result<
        TokenDigest, BearerRejection
    > {
        guard let header = request.authorization else {
            return .failure(
                rejectBearer(request, context: context, reason: "missing-credentials", tokenPresented: false))
        }
        let credentials: AuthorizationCredentials
        do {
            credentials = try AuthorizationCredentials.parse(header)
        } catch {
            let tokenPresented = error.reason == .invalidBearerToken
            return .failure(
                rejectBearer(request, context: context, reason: error.label, tokenPresented: tokenPresented))
        }
        guard case .bearer(let token) = credentials else {
            return .failure(
                rejectBearer(request, context: context, reason: "unsupported-scheme", tokenPresented: false))
        }
        return .success(try TokenDigest(sha256Of: token))
    }

    private func rejectBearer(
        _ request: SecurityRequest, context: SecurityContext, reason: String, tokenPresented: Bool
    ) -> BearerRejection {
        let message = tokenPresented ? "The access token is invalid or expired" : "A bearer token is required"
        let outcome = reject(
            request, context: context, user: nil, reason: reason,
            outcome: bearerChallenge(message: message, invalidToken: tokenPresented))
        return BearerRejection(outcome: outcome)
    }
}

/// The 401 to send when a request carries no usable bearer token.
struct BearerRejection: Error {
    let outcome: SecurityOutcome
}
