import Foundation
import InternalAPISecurity
import JWTTokenSecurity
import Testing

@Suite("Issued token format")
struct TokenFormatTests {
    let issuer: TokenIssuer
    let issued: IssuedToken

    init() throws {
        issuer = try TokenIssuer(key: TestKeys.signing, issuer: "test-issuer", lifetime: 3600)
        issued = try issuer.issue(
            for: Principal(username: "admin", isAdmin: true), at: TokenRecords.start.addingTimeInterval(0.75))
    }

    private func decodedPart(_ index: Int) throws -> [String: Any] {
        let parts = issued.token.split(separator: ".", omittingEmptySubsequences: false)
        try #require(parts.count == 3)
        let bytes = try #require(Base64URL.decode(parts[index]))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test func headerNamesAlgorithmAndKey() throws {
        let header = try decodedPart(0)

        #expect(header["alg"] as? String == "RS256")
        #expect(header["typ"] as? String == "JWT")
        #expect(header["kid"] as? String == issuer.keyID)
        #expect(header.count == 3)
    }

    @Test func claimsCarryUserAndTimes() throws {
        let claims = try decodedPart(1)
        let start = Int(TokenRecords.start.timeIntervalSince1970)

        #expect(claims["sub"] as? String == "admin")
        #expect(claims["iss"] as? String == "test-issuer")
        #expect(claims["iat"] as? Int == start)
        #expect(claims["exp"] as? Int == start + 3600)
        #expect(claims["scope"] as? String == "admin")
        #expect(Base64URL.decode(claims["jti"] as? String ?? "")?.count == 16)
    }

    @Test func claimsDecodeIntoTokenClaims() throws {
        let parts = issued.token.split(separator: ".")
        let payload = try #require(Base64URL.decode(parts[1]))

        let claims = try JSONDecoder().decode(TokenClaims.self, from: Data(payload))

        #expect(claims == issued.claims)
    }

    @Test func defaultScopeForOtherUsers() throws {
        let token = try issuer.issue(for: Principal(username: "alice"), at: TokenRecords.start)

        #expect(token.claims.scope == "default")
        #expect(token.record.isAdmin == false)
    }

    @Test func recordMatchesToken() throws {
        #expect(issued.record.digest == (try TokenDigest(sha256Of: issued.token)))
        #expect(issued.record.username == "admin")
        #expect(issued.record.expiresAt == Date(timeIntervalSince1970: TimeInterval(issued.claims.expiresAt)))
        #expect(issued.record.lastAccess == TokenRecords.start.addingTimeInterval(0.75))
    }

    @Test func tokenIDsAreUnique() throws {
        var seen = Set<String>()
        for _ in 0..<100 {
            seen.insert(try issuer.issue(for: Principal(username: "alice"), at: TokenRecords.start).claims.tokenID)
        }

        #expect(seen.count == 100)
    }

    @Test func noPaddingInToken() {
        #expect(!issued.token.contains("="))
        #expect(!issued.token.contains("+"))
        #expect(!issued.token.contains("/"))
    }

    @Test func keySetPublishesKey() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(issuer.jsonWebKeySet.utf8)) as? [String: Any])
        let keys = try #require(document["keys"] as? [[String: String]])
        let key = try #require(keys.first)
        let rebuilt = try RSAPublicKey(jwkModulus: key["n"] ?? "", exponent: key["e"] ?? "")

        #expect(keys.count == 1)
        #expect(key["kty"] == "RSA")
        #expect(key["alg"] == "RS256")
        #expect(key["use"] == "sig")
        #expect(key["kid"] == issuer.keyID)
        #expect(try RS256Verifier(key: rebuilt).verify(token: issued.token))
    }

    @Test func keyIDHashesPublicKey() throws {
        let der = try TestKeys.signing.publicKey.derEncoded()
        let expected = try openSSLDigest(der)

        #expect(issuer.keyID == Base64URL.encode(expected))
    }

    @Test func zeroLifetimeRejected() {
        #expect(throws: SecurityError.self) { try TokenIssuer(key: TestKeys.signing, lifetime: 0) }
    }

    /// Computes the SHA-256 of `bytes` with the `openssl` command, as an independent reference.
    private func openSSLDigest(_ bytes: [UInt8]) throws -> [UInt8] {
        let folder = try TemporaryFolder()
        let path = folder.path("key.der")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let hex = try openSSLOutput(["dgst", "-sha256", "-r", path]).prefix(64)
        var digest: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            digest.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        return digest
    }
}
