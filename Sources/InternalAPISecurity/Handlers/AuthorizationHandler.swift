/// Lets only administrators reach its resources. Runs after an authentication handler.
///
/// - A principal with `isAdmin` proceeds (the principal is kept).
/// - A principal without it gets 403 with a JSON error and `Cache-Control: no-store`.
/// - No principal, because no authentication handler protecting this path ran before it, gets
///   401 with a `Bearer` challenge, the scheme of the default `JWTTokenSecurityHandler`. Such a
///   chain is usually misconfigured, so the handler fails closed instead of letting it through.
///
/// With no `<resources>` it protects `defaultResources`, the user, role and configuration
/// management resources.
public struct AuthorizationHandler: SecurityHandler {
    /// The resources protected when the configuration lists none.
    public static let defaultResources = ["/users", "/roles", "/configs"]

    /// The short class name; the Micro Integrator class name
    /// `org.wso2.micro.integrator.management.apis.security.handler.AuthorizationHandler` works too.
    public static let className = "AuthorizationHandler"

    /// The constant message of the warning written for each rejected request.
    public static let rejectionLogMessage: Logger.Message = "Authorization failed"

    public let name: String
    public let resources: ResourceSet
    private let forbidden: SecurityResponse
    private let unauthenticated: SecurityResponse

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - resources: the prefixes reserved for administrators; nil for `defaultResources`.
    ///   - realm: the realm of the `Bearer` challenge sent when no principal is known.
    public init(
        name: String = AuthorizationHandler.className, resources: ResourceSet? = nil,
        realm: String = AuthenticationChallenge.defaultRealm
    ) {
        self.name = name
        // The default prefixes are constants that always normalise, so this cannot fail.
        self.resources = resources ?? (try! ResourceSet(Self.defaultResources))
        forbidden = SecurityResponse.error(status: 403, message: "This resource requires an administrator")
        unauthenticated = SecurityResponse.error(
            status: 401, message: "Authentication is required",
            headers: ["WWW-Authenticate": AuthenticationChallenge.bearer(realm: realm, invalidToken: false)])
    }

    public func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        guard let principal = context.principal else {
            return reject(request, context, reason: "missing-principal", username: nil, response: unauthenticated)
        }
        guard principal.isAdmin else {
            return reject(request, context, reason: "forbidden", username: principal.username, response: forbidden)
        }
        return .proceed(nil)
    }

    private func reject(
        _ request: SecurityRequest, _ context: SecurityContext, reason: String, username: String?,
        response: SecurityResponse
    ) -> SecurityOutcome {
        var metadata: Logger.Metadata = [
            "handler": name,
            "client": request.clientAddress,
            "request_id": request.requestID,
            "reason": reason,
        ]
        // The username comes from a user store that accepted it, not straight from the client.
        if let username { metadata["user"] = username }
        context.logger.warning(Self.rejectionLogMessage, metadata: metadata)
        context.events.record(.rejected(handler: name, reason: reason))
        return .respond(response)
    }

    /// Registers the handler under its short and Micro Integrator class names. Its `<resources>`
    /// replace `defaultResources` when the element lists any.
    public static func register(in registry: HandlerRegistry) {
        registry.registerBuiltIn(shortName: className, settings: []) { configuration, _ in
            let resources = configuration.resources.prefixes.isEmpty ? nil : configuration.resources
            return AuthorizationHandler(name: configuration.name, resources: resources)
        }
    }
}
