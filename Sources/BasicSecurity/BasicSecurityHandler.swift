import Foundation
import InternalAPISecurity

/// Authenticates every protected request with `Basic` credentials (RFC 7617) against a user store.
///
/// A request without credentials, with malformed credentials, with a bearer token, or with a
/// username and password the store rejects gets a 401 with a `Basic` challenge, a JSON error
/// body and `Cache-Control: no-store`. The body for a wrong password is byte-identical to the
/// one for an unknown user. Every rejection writes one warning line and records a
/// `SecurityEvent.rejected`.
///
/// Credentials the store accepted are remembered for `CacheSettings.timeToLive` seconds, keyed
/// by an HMAC-SHA256 with a random key drawn when the handler is created, so repeated requests with the same
/// credentials are decided without calling the store and without suspending.
///
/// In Basic mode no tokens exist. Valid credentials on `/login` or `/logout` therefore get a 404
/// that names `JWTTokenSecurityHandler`, and invalid ones get the usual 401.
///
/// Thread safety: one instance serves all connections concurrently.
public struct BasicSecurityHandler: SecurityHandler {
    /// The realm sent in the challenge when the configuration sets none.
    public static let defaultRealm = AuthenticationChallenge.defaultRealm

    /// The constant message of the warning written for each rejected request.
    public static let rejectionLogMessage: Logger.Message = "Basic authentication failed"

    /// Bounds of the verified-credential cache.
    public struct CacheSettings: Sendable, Equatable {
        /// The maximum number of remembered credentials. 0 turns the cache off.
        public var capacity: Int
        /// The time, in seconds, that accepted credentials are remembered. 0 turns the cache off.
        public var timeToLive: TimeInterval

        /// The largest accepted `capacity`.
        public static let maxCapacity = 1_000_000
        /// The largest accepted `timeToLive`, in seconds: it is also the longest time a removed
        /// user or a changed password can still be accepted.
        public static let maxTimeToLive: TimeInterval = 3600

        public init(capacity: Int = 1024, timeToLive: TimeInterval = 60) {
            self.capacity = capacity
            self.timeToLive = timeToLive
        }

        /// Settings that keep no credentials, so every request goes to the user store.
        public static let disabled = CacheSettings(capacity: 0, timeToLive: 0)

        var isEnabled: Bool { capacity > 0 && timeToLive > 0 }
    }

    public let name: String
    public let resources: ResourceSet
    /// The realm of the `WWW-Authenticate: Basic` challenge.
    public let realm: String
    public let cacheSettings: CacheSettings

    let userStore: any UserStore
    let cache: VerifiedCredentialCache?
    let digester: CredentialDigester
    let responses: BasicSecurityResponses

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - name: the name used in logs and events.
    ///   - resources: the prefixes to protect; the empty set protects the whole API.
    ///   - userStore: the store that checks usernames and passwords.
    ///   - realm: the challenge realm, printable ASCII.
    ///   - cacheSettings: bounds of the verified-credential cache.
    ///   - clock: the time source for cache expiry.
    /// - Throws: `invalidArgument` for a realm or cache setting out of range, and
    ///   `cryptographyFailed` when no random cache key can be drawn.
    public init(
        name: String = "BasicSecurityHandler", resources: ResourceSet = .all, userStore: any UserStore,
        realm: String = BasicSecurityHandler.defaultRealm, cacheSettings: CacheSettings = CacheSettings(),
        clock: any WallClock = SystemClock()
    ) throws {
        try Self.validate(realm: realm)
        try Self.validate(cacheSettings)

        self.name = name
        self.resources = resources
        self.realm = realm
        self.cacheSettings = cacheSettings
        self.userStore = userStore
        self.digester = try CredentialDigester()
        self.responses = BasicSecurityResponses(realm: realm)
        if cacheSettings.isEnabled {
            cache = VerifiedCredentialCache(
                capacity: cacheSettings.capacity, timeToLive: cacheSettings.timeToLive, clock: clock)
        } else {
            cache = nil
        }
    }

    /// Authenticates the request; see the type's documentation for each outcome.
    ///
    /// - Throws: what the user store throws when it cannot decide (the server turns that into a
    ///   503). Bad credentials never throw.
    public func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        let authorizationValues = request.headers.values("Authorization")
        guard let header = authorizationValues.first else {
            return reject(request, context, reason: "missing-credentials", response: responses.missingCredentials)
        }
        guard authorizationValues.count == 1 else {
            return reject(
                request, context, reason: "multiple-authorization-headers",
                response: responses.multipleAuthorizationHeaders)
        }

        let credentials: BasicCredentials
        do {
            switch try AuthorizationCredentials.parse(header) {
            case .basic(let basic):
                credentials = basic
            case .bearer:
                return reject(request, context, reason: "bearer-not-accepted", response: responses.bearerNotAccepted)
            }
        } catch {
            return reject(request, context, reason: error.label, response: responses.malformed(error))
        }

        guard let principal = try await verify(credentials) else {
            return reject(
                request, context, reason: "invalid-credentials", username: credentials.username,
                response: responses.invalidCredentials)
        }
        context.events.record(.authenticated(handler: name))

        if request.path == "/login" || request.path == "/logout" {
            return .respond(responses.tokenEndpointUnavailable)
        }
        return .proceed(principal)
    }

    /// Returns the principal for valid credentials, from the cache when possible.
    private func verify(_ credentials: BasicCredentials) async throws -> Principal? {
        guard let cache, let digest = digester.digest(username: credentials.username, password: credentials.password)
        else {
            return try await userStore.authenticate(username: credentials.username, password: credentials.password)
        }
        if let principal = cache.principal(for: digest) {
            return principal
        }

        let principal = try await userStore.authenticate(
            username: credentials.username, password: credentials.password)
        if let principal {
            cache.insert(principal, for: digest)
        }
        return principal
    }

    private func reject(
        _ request: SecurityRequest, _ context: SecurityContext, reason: String, username: String? = nil,
        response: SecurityResponse
    ) -> SecurityOutcome {
        var metadata: Logger.Metadata = [
            "handler": name,
            "client": request.clientAddress,
            "request_id": request.requestID,
            "reason": reason,
        ]
        if let username {
            metadata["user"] = LogSafeText.username(username)
        }
        context.logger.warning(Self.rejectionLogMessage, metadata: metadata)
        context.events.record(.rejected(handler: name, reason: reason))
        return .respond(response)
    }
}
