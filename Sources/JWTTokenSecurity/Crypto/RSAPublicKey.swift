import COpenSSL
import CShims
import InternalAPISecurity

/// An RSA public key: verifies RS256 signatures and is published as a JWK.
///
/// Safe to share between tasks: the key is immutable once created.
public final class RSAPublicKey: Sendable {
    let key: EVPKey

    init(key: EVPKey) {
        self.key = key
    }

    /// The key size in bits.
    public var bits: Int { key.bits }

    /// Loads a public key from PEM text (`PUBLIC KEY`, SubjectPublicKeyInfo).
    ///
    /// - Throws: `cryptographyFailed` when the text is not a PEM public key, `invalidArgument`
    ///   when the key is not RSA.
    public convenience init(pem: String) throws {
        let loaded = EVPKey.readPEM(pem) { bio in
            PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let loaded else {
            throw OpenSSLErrors.failure(
                "The text is not a PEM public key", fix: "pass a '-----BEGIN PUBLIC KEY-----' block")
        }
        let key = EVPKey(taking: loaded)
        guard key.isRSA else {
            throw SecurityError(
                .invalidArgument, reason: "The public key is not an RSA key", fix: "pass an RSA public key")
        }
        self.init(key: key)
    }

    /// Builds a public key from its big-endian modulus and public exponent, as a JWK's `n`
    /// and `e` carry them (RFC 7518, section 6.3.1).
    ///
    /// - Throws: `invalidArgument` when either value is empty, `cryptographyFailed` when
    ///   OpenSSL rejects the pair.
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws {
        guard !modulus.isEmpty, !exponent.isEmpty else {
            throw SecurityError(
                .invalidArgument, reason: "An RSA public key needs a modulus and an exponent",
                fix: "pass the JWK's 'n' and 'e' values")
        }
        guard let builder = OSSL_PARAM_BLD_new() else {
            throw OpenSSLErrors.failure("Allocating OpenSSL key parameters failed")
        }
        defer { OSSL_PARAM_BLD_free(builder) }
        let modulusNumber = BN_bin2bn(modulus, Int32(modulus.count), nil)
        let exponentNumber = BN_bin2bn(exponent, Int32(exponent.count), nil)
        defer {
            BN_free(modulusNumber)
            BN_free(exponentNumber)
        }
        guard let modulusNumber, let exponentNumber,
            // The builder keeps the name pointers, so they must outlive it: Swift's temporary
            // C strings from literals do not.
            OSSL_PARAM_BLD_push_BN(builder, cshims_jwt_OSSL_PKEY_PARAM_RSA_N(), modulusNumber) == 1,
            OSSL_PARAM_BLD_push_BN(builder, cshims_jwt_OSSL_PKEY_PARAM_RSA_E(), exponentNumber) == 1,
            let parameters = OSSL_PARAM_BLD_to_param(builder)
        else {
            throw OpenSSLErrors.failure("Building RSA key parameters failed")
        }
        defer { OSSL_PARAM_free(parameters) }

        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw OpenSSLErrors.failure("Creating an RSA key context failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var created: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1,
            EVP_PKEY_fromdata(context, &created, cshims_jwt_EVP_PKEY_PUBLIC_KEY(), parameters) == 1,
            let created
        else {
            throw OpenSSLErrors.failure("OpenSSL rejected the RSA modulus and exponent")
        }
        self.init(key: EVPKey(taking: created))
    }

    /// Builds a public key from a JWK's base64url `n` and `e` members.
    ///
    /// - Throws: `invalidArgument` naming the member that is not unpadded base64url.
    public convenience init(jwkModulus n: String, exponent e: String) throws {
        guard let modulus = Base64URL.decode(n) else {
            throw SecurityError(
                .invalidArgument, reason: "The JWK 'n' is not base64url",
                fix: "pass 'n' unpadded, as RFC 7518 writes it")
        }
        guard let exponent = Base64URL.decode(e) else {
            throw SecurityError(
                .invalidArgument, reason: "The JWK 'e' is not base64url", value: e,
                fix: "pass 'e' unpadded, for example AQAB")
        }
        try self.init(modulus: modulus, exponent: exponent)
    }

    /// Returns the modulus `n`, big-endian without leading zeros.
    public func modulus() throws -> [UInt8] {
        try key.bigNumberParameter("n")
    }

    /// Returns the public exponent `e`, big-endian without leading zeros.
    public func exponent() throws -> [UInt8] {
        try key.bigNumberParameter("e")
    }

    /// Encodes the key as SubjectPublicKeyInfo DER.
    public func derEncoded() throws -> [UInt8] {
        try key.publicKeyDER()
    }

    /// Encodes the key as PEM text (`-----BEGIN PUBLIC KEY-----`), which `openssl dgst -verify` reads.
    public func pem() throws -> String {
        try EVPKey.pemText { bio in
            PEM_write_bio_PUBKEY(bio, key.pointer)
        }
    }

    /// Computes the key id written in the token header's `kid`: the base64url SHA-256 of the
    /// DER public key. Nodes that share a key file therefore announce the same id.
    public func keyID() throws -> String {
        Base64URL.encode(try SHA256Digest.hash(try derEncoded()))
    }
}
