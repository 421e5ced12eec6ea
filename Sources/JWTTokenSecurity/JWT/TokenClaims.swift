/// The claims of a token this module issues (RFC 7519, section 4.1).
public struct TokenClaims: Sendable, Equatable, Codable {
    /// `sub`: the username.
    public var subject: String
    /// `iss`: the configured issuer name.
    public var issuer: String
    /// `iat`: seconds since 1970-01-01T00:00:00Z, whole seconds.
    public var issuedAt: Int
    /// `exp`: seconds since 1970-01-01T00:00:00Z. The token is invalid from this second on.
    public var expiresAt: Int
    /// `jti`: 128 random bits, base64url, unique per token.
    public var tokenID: String
    /// `scope`: `admin` for administrators, `default` for other users. Informational only:
    /// the server takes the admin flag from the token store record, never from the token.
    public var scope: String

    /// The `scope` value of tokens issued to administrators.
    public static let adminScope = "admin"
    /// The `scope` value of tokens issued to other users.
    public static let defaultScope = "default"

    enum CodingKeys: String, CodingKey {
        case subject = "sub"
        case issuer = "iss"
        case issuedAt = "iat"
        case expiresAt = "exp"
        case tokenID = "jti"
        case scope
    }

    public init(subject: String, issuer: String, issuedAt: Int, expiresAt: Int, tokenID: String, scope: String) {
        self.subject = subject
        self.issuer = issuer
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.scope = scope
    }
}
