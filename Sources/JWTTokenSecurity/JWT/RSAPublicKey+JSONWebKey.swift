import InternalAPISecurity

extension RSAPublicKey {
    /// Returns the key as a JWK (RFC 7517) with `kty`, `n`, `e`, `kid`, `alg` and `use`.
    public func jsonWebKey() throws -> String {
        let modulus = Base64URL.encode(try modulus())
        let exponent = Base64URL.encode(try exponent())
        return "{\"kty\":\"RSA\",\"n\":\(JSONText.quote(modulus)),\"e\":\(JSONText.quote(exponent)),"
            + "\"kid\":\(JSONText.quote(try keyID())),\"alg\":\"RS256\",\"use\":\"sig\"}"
    }

    /// Returns a JWK Set document (RFC 7517, section 5) holding this key alone, to publish
    /// so that other services can verify the tokens.
    public func jsonWebKeySet() throws -> String {
        "{\"keys\":[\(try jsonWebKey())]}"
    }
}
