import InternalAPISecurity

/// A custom handler that authenticates clients by a shared key sent in the `X-API-Key` header.
///
/// Each key belongs to one user, and the principal of an accepted request is that user. The
/// keys come from the handler's element in `internal-apis.xml` (see
/// `APIKeyHandler.init(configuration:context:)`):
///
/// ```xml
/// <handler class="com.example.APIKeyHandler" name="APIKeyHandler">
///     <keys>
///         <key user="ci-bot">$secret{ci-key}</key>
///         <key user="ops" isAdmin="true">$secret{ops-key}</key>
///     </keys>
///     <resources><resource>/apis</resource></resources>
/// </handler>
/// ```
///
/// A request without the header, with the header twice, or with a key that matches no
/// configured key gets a 401 with a JSON error body, `Cache-Control: no-store` and the
/// challenge `WWW-Authenticate: APIKey realm="<realm>", header="X-API-Key"`. `APIKey` is
/// this sample's own authentication scheme, which no RFC registers. Every rejection writes one
/// warning line and records a `SecurityEvent.rejected`. The key itself is never logged.
///
/// The presented key is compared with every configured key, each in constant time, so the
/// response time depends on the key lengths only and not on where the first wrong byte is.
///
/// Thread safety: the handler is immutable and serves all connections concurrently. It never
/// suspends, so it decides on the event loop that received the request.
public struct APIKeyHandler: SecurityHandler {
    /// The request header that carries the key.
    public static let headerName = "X-API-Key"

    /// The realm sent in the challenge when the configuration sets none.
    public static let defaultRealm = "Management API"

    /// The constant message of the warning written for each rejected request.
    public static let rejectionLogMessage: Logger.Message = "API key authentication failed"

    /// One configured key and the user it authenticates.
    public struct Key: Sendable, Equatable {
        /// The user the key authenticates, which becomes the principal's username.
        public var user: String
        /// The key, exactly as resolved from the configuration.
        public var key: String
        /// Whether the user may reach admin-only resources.
        public var isAdmin: Bool

        public init(user: String, key: String, isAdmin: Bool = false) {
            self.user = user
            self.key = key
            self.isAdmin = isAdmin
        }
    }

    public let name: String
    public let resources: ResourceSet
    /// The realm of the `WWW-Authenticate: APIKey` challenge.
    public let realm: String

    private let keys: [(bytes: [UInt8], principal: Principal)]
    private let missingKeyResponse: SecurityResponse
    private let repeatedHeaderResponse: SecurityResponse
    private let invalidKeyResponse: SecurityResponse

    /// Creates a handler from keys that have already been validated.
    ///
    /// - Parameters:
    ///   - name: the name used in logs and events.
    ///   - resources: the prefixes to protect; the empty set protects the whole API.
    ///   - keys: at least one key, with distinct users and distinct keys.
    ///   - realm: the challenge realm, printable ASCII.
    /// - Throws: `invalidArgument` when `keys` is empty, a key is empty, a user or a key
    ///   appears twice, or the realm is not printable ASCII.
    public init(
        name: String = "APIKeyHandler", resources: ResourceSet = .all, keys: [Key], realm: String = defaultRealm
    ) throws {
        try Self.validate(keys)
        try Self.validate(realm: realm)

        self.name = name
        self.resources = resources
        self.realm = realm
        self.keys = keys.map { key in
            (Array(key.key.utf8), Principal(username: key.user, isAdmin: key.isAdmin))
        }

        let challenge: HTTPHeaders = [
            "WWW-Authenticate": "APIKey realm=\(Self.quoted(realm)), header=\"\(Self.headerName)\""
        ]
        missingKeyResponse = .error(
            status: 401, message: "Authentication is required: send an \(Self.headerName) header",
            headers: challenge)
        repeatedHeaderResponse = .error(
            status: 401, message: "The request has more than one \(Self.headerName) header", headers: challenge)
        invalidKeyResponse = .error(status: 401, message: "Invalid API key", headers: challenge)
    }

    /// Accepts a request whose `X-API-Key` matches a configured key, with that key's user as
    /// the principal, and answers 401 otherwise. Never throws.
    public func handle(_ request: SecurityRequest, context: SecurityContext) async throws -> SecurityOutcome {
        let presented = request.headers.values(Self.headerName)
        guard let key = presented.first else {
            return reject(request, context, reason: "missing-credentials", response: missingKeyResponse)
        }
        guard presented.count == 1 else {
            return reject(request, context, reason: "multiple-api-key-headers", response: repeatedHeaderResponse)
        }

        guard let principal = principal(for: Array(key.utf8)) else {
            return reject(request, context, reason: "invalid-credentials", response: invalidKeyResponse)
        }
        context.events.record(.authenticated(handler: name))
        return .proceed(principal)
    }

    /// Returns the principal of the key equal to `presented`, comparing with every key so the
    /// time taken does not reveal which key matched or how many bytes of it did.
    private func principal(for presented: [UInt8]) -> Principal? {
        var match: Principal?
        for entry in keys where ConstantTimeComparison.equals(presented, entry.bytes) {
            match = entry.principal
        }
        return match
    }

    private func reject(
        _ request: SecurityRequest, _ context: SecurityContext, reason: String, response: SecurityResponse
    ) -> SecurityOutcome {
        context.logger.warning(
            Self.rejectionLogMessage,
            metadata: [
                "handler": name,
                "client": request.clientAddress,
                "request_id": request.requestID,
                "reason": reason,
            ])
        context.events.record(.rejected(handler: name, reason: reason))
        return .respond(response)
    }

    private static func validate(_ keys: [Key]) throws {
        guard !keys.isEmpty else {
            throw SecurityError(
                .invalidArgument, reason: "API key handler has no keys", fix: "configure at least one key")
        }
        for (index, key) in keys.enumerated() {
            guard !key.key.isEmpty else {
                throw SecurityError(
                    .invalidArgument, reason: "API key is empty", value: key.user, fix: "give the user a non-empty key")
            }
            let earlier = keys[..<index]
            if earlier.contains(where: { $0.user == key.user }) {
                throw SecurityError(
                    .invalidArgument, reason: "User has more than one API key", value: key.user,
                    fix: "keep one key per user")
            }
            if earlier.contains(where: { $0.key == key.key }) {
                throw SecurityError(
                    .invalidArgument, reason: "Two users share the same API key", value: key.user,
                    fix: "give every user a key of their own")
            }
        }
    }

    /// Rejects realms that could not be sent in a header as they are, such as one with a line break.
    private static func validate(realm: String) throws {
        guard !realm.isEmpty, realm.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw SecurityError(
                .invalidArgument, reason: "Realm must be non-empty printable ASCII", value: realm,
                fix: "use letters, digits, spaces and punctuation only")
        }
    }

    /// Quotes `value` as an HTTP quoted-string (RFC 9110, section 5.6.4).
    private static func quoted(_ value: String) -> String {
        var output = "\""
        for character in value {
            if character == "\"" || character == "\\" { output.append("\\") }
            output.append(character)
        }
        return output + "\""
    }
}
