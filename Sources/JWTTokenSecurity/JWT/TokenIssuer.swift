import COpenSSL
import Foundation
import InternalAPISecurity

/// Issues RS256-signed JWTs for authenticated users.
///
/// Safe to use from many tasks at once. Issuing costs one RSA signature plus 7% to 18% for
/// hashing, encoding and random bytes, as `Benchmarks/jwt/run.sh` measured on the development
/// machine (see its README). The key is made or loaded once, before the first token.
public struct TokenIssuer: Sendable {
    /// The default `iss` claim.
    public static let defaultIssuer = "InternalAPISecurity"

    /// The `iss` claim of every token.
    public let issuer: String
    /// Token lifetime in seconds: `exp` is `iat` plus this.
    public let lifetime: Int
    /// The `kid` header value, see `RSAPublicKey.keyID()`.
    public let keyID: String
    public let signer: RS256Signer
    /// The JWKS document publishing the public key, built once.
    public let jsonWebKeySet: String

    /// The base64url header, identical for every token of this issuer.
    private let encodedHeader: String

    /// - Throws: `invalidArgument` when `lifetime` is below one second, `cryptographyFailed`
    ///   when the public key cannot be encoded.
    public init(key: RSASigningKey, issuer: String = TokenIssuer.defaultIssuer, lifetime: Int) throws {
        guard lifetime >= 1 else {
            throw SecurityError(
                .invalidArgument, reason: "Token lifetime must be at least one second", value: String(lifetime),
                fix: "set <TokenConfig><expiry> to a number of seconds, for example 3600")
        }
        let publicKey = key.publicKey
        let keyID = try publicKey.keyID()
        self.issuer = issuer
        self.lifetime = lifetime
        self.keyID = keyID
        self.signer = RS256Signer(key: key)
        self.jsonWebKeySet = try publicKey.jsonWebKeySet()
        let header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\(JSONText.quote(keyID))}"
        self.encodedHeader = Base64URL.encode(Array(header.utf8))
    }

    /// Issues a token for `principal` at `now` and returns it with the record to store.
    ///
    /// `iat` is `now` rounded down to the second, so `exp` falls on a whole second and the
    /// token is valid up to, not including, that second.
    ///
    /// - Throws: `cryptographyFailed` when random bytes or the signature fail.
    public func issue(for principal: Principal, at now: Date) throws -> IssuedToken {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let claims = TokenClaims(
            subject: principal.username, issuer: issuer, issuedAt: issuedAt, expiresAt: issuedAt + lifetime,
            tokenID: try Self.randomTokenID(),
            scope: principal.isAdmin ? TokenClaims.adminScope : TokenClaims.defaultScope)

        let signingInput = encodedHeader + "." + Base64URL.encode(Array(Self.json(claims).utf8))
        let signature = try signer.sign(signingInput.utf8)
        let token = signingInput + "." + Base64URL.encode(signature)

        let record = TokenRecord(
            digest: try TokenDigest(sha256Of: token), username: principal.username, isAdmin: principal.isAdmin,
            issuedAt: Date(timeIntervalSince1970: TimeInterval(claims.issuedAt)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.expiresAt)), lastAccess: now)
        return IssuedToken(token: token, claims: claims, record: record)
    }

    /// Writes the claims by hand so they keep a fixed order, which `JSONEncoder` does not promise.
    static func json(_ claims: TokenClaims) -> String {
        "{\"sub\":\(JSONText.quote(claims.subject)),\"iss\":\(JSONText.quote(claims.issuer)),"
            + "\"iat\":\(claims.issuedAt),\"exp\":\(claims.expiresAt),"
            + "\"jti\":\(JSONText.quote(claims.tokenID)),\"scope\":\(JSONText.quote(claims.scope))}"
    }

    private static func randomTokenID() throws -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else {
            throw OpenSSLErrors.failure("OpenSSL could not produce random bytes for the token id")
        }
        return Base64URL.encode(bytes)
    }
}

/// A freshly issued token and what the token store keeps for it.
public struct IssuedToken: Sendable {
    /// The compact JWS. Never log it.
    public let token: String
    public let claims: TokenClaims
    /// The record to insert into the token store, keyed by the token's SHA-256.
    public let record: TokenRecord
}
