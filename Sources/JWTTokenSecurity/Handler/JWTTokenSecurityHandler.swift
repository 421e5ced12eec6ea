import Foundation
import InternalAPISecurity

/// Issues JWTs on `/login`, revokes them on `/logout`, and accepts bearer tokens on its
/// resources, as Micro Integrator's `JWTTokenSecurityHandler` does.
///
/// A bearer token is accepted only while the SHA-256 of its exact bytes is in the token
/// store, not revoked and not expired at the current second. The signature is not checked per
/// request: membership in the store is the proof, because only this handler inserts tokens.
/// Tokens are RS256 JWTs (`TokenIssuer`); the public key is published by `jsonWebKeySet`.
///
/// Responses that carry or depend on credentials send `Cache-Control: no-store`. Every 401
/// on `/login` challenges with Basic, every other 401 with Bearer. Logs never contain a
/// password or a token, only the first 12 hex digits of a token's SHA-256.
///
/// Safe to call from many tasks at once. A bearer request with the in-memory store never
/// suspends. `/login` awaits the user store and computes its RSA signature with `BlockingWork`,
/// off the caller's executor.
public final class JWTTokenSecurityHandler: SecurityHandler {
    /// The short class name under which the handler is registered.
    public static let shortClassName = "JWTTokenSecurityHandler"
    /// The default realm of the `WWW-Authenticate` challenges.
    public static let defaultRealm = AuthenticationChallenge.defaultRealm
    /// The path, relative to the API context, that issues tokens.
    public static let loginPath = "/login"
    /// The path, relative to the API context, that revokes the presented token.
    public static let logoutPath = "/logout"
    /// The methods `/login` and `/logout` accept, as Micro Integrator does.
    public static let allowedMethods: Set<String> = ["GET", "POST"]

    public let name: String
    public let resources: ResourceSet
    /// The realm named in every challenge.
    public let realm: String
    public let userStore: any UserStore
    public let tokenStore: any TokenStore
    public let issuer: TokenIssuer
    public let cleanup: TokenCleanupTask
    let clock: any WallClock

    /// Creates a handler from parts; `make(_:context:)` builds one from configuration.
    ///
    /// - Parameters:
    ///   - resources: the protected prefixes. `/login` and `/logout` are protected as well.
    ///   - cleanup: removes expired tokens from `tokenStore` while it contains any.
    public init(
        name: String, resources: ResourceSet, userStore: any UserStore, tokenStore: any TokenStore,
        issuer: TokenIssuer, cleanup: TokenCleanupTask, realm: String = JWTTokenSecurityHandler.defaultRealm,
        clock: any WallClock = SystemClock()
    ) {
        self.name = name
        self.resources = resources
        self.userStore = userStore
        self.tokenStore = tokenStore
        self.issuer = issuer
        self.cleanup = cleanup
        self.realm = realm
        self.clock = clock
    }

    /// The JWK Set document with the public key, for clients that verify tokens themselves.
    public var jsonWebKeySet: String { issuer.jsonWebKeySet }

    /// The number of tokens held, for metrics. Expired tokens count until they are removed.
    public func tokenCount() async throws -> Int {
        try await tokenStore.count()
    }

    public func protects(path: String) -> Bool {
        path == Self.loginPath || path == Self.logoutPath || resources.matches(path)
    }

    public func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        switch request.path {
        case Self.loginPath:
            return try await login(request, context: context)
        case Self.logoutPath:
            return try await logout(request, context: context)
        default:
            return try await authenticateBearer(request, context: context)
        }
    }

    /// Stops the cleanup task, for example before the handler is replaced on reload.
    public func shutDown() {
        cleanup.shutDown()
    }
}
