import COpenSSL
import Foundation
import InternalAPISecurity

/// An RSA private key that signs tokens.
///
/// Safe to share between tasks: the key is immutable once created.
public final class RSASigningKey: Sendable {
    /// The smallest key size accepted, in bits (RFC 7518, section 3.3 requires 2048 for RS256).
    public static let minimumBits = 2048
    /// The largest key size generated or loaded, in bits. Generating larger keys takes
    /// minutes, and signing gets slower with the cube of the size.
    public static let maximumBits = 8192

    let key: EVPKey

    private init(key: EVPKey) {
        self.key = key
    }

    /// The key size in bits.
    public var bits: Int { key.bits }

    /// The public half, for verification and the JWKS document.
    public var publicKey: RSAPublicKey {
        RSAPublicKey(key: key)
    }

    /// Generates a new key pair with OpenSSL's default public exponent (65537).
    ///
    /// Takes a large fraction of a second for 2048 bits (the time varies with the primes
    /// found), so a handler generates its key once, never per login.
    ///
    /// - Throws: `invalidArgument` when `bits` is outside `minimumBits...maximumBits`,
    ///   `cryptographyFailed` when OpenSSL fails.
    public static func generate(bits: Int) throws -> RSASigningKey {
        try checkSize(bits, source: "generated key")
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw OpenSSLErrors.failure("Creating an RSA key generation context failed")
        }
        defer { EVP_PKEY_CTX_free(context) }

        var generated: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
            EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1,
            EVP_PKEY_generate(context, &generated) == 1,
            let generated
        else {
            throw OpenSSLErrors.failure("RSA key generation failed", value: String(bits))
        }
        return RSASigningKey(key: EVPKey(taking: generated))
    }

    /// Loads an unencrypted RSA private key from PEM text (PKCS#8 `PRIVATE KEY` or PKCS#1
    /// `RSA PRIVATE KEY`).
    ///
    /// - Throws: `cryptographyFailed` when the text is not an unencrypted PEM private key,
    ///   `invalidArgument` when it is not RSA or its size is outside the accepted range.
    public convenience init(pem: String) throws {
        let loaded = EVPKey.readPEM(pem) { bio in
            PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil)
        }
        guard let loaded else {
            throw OpenSSLErrors.failure(
                "The text is not an unencrypted PEM private key",
                fix: "write the key with 'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'")
        }
        let key = EVPKey(taking: loaded)
        guard key.isRSA else {
            throw SecurityError(
                .invalidArgument, reason: "The private key is not an RSA key",
                fix: "RS256 needs an RSA key of at least \(Self.minimumBits) bits")
        }
        try Self.checkSize(key.bits, source: "key file")
        self.init(key: key)
    }

    /// Loads an unencrypted PEM private key from a file.
    ///
    /// - Throws: `fileNotReadable` naming the path when the file cannot be read, otherwise
    ///   what `init(pem:)` throws, with the path as the value.
    public convenience init(pemFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SecurityError(
                .fileNotReadable, reason: "The signing key file cannot be read", value: path,
                fix: "check the path and its permissions", underlying: String(describing: error))
        }
        do {
            try self.init(pem: text)
        } catch var error as SecurityError {
            error.value = path
            throw error
        }
    }

    /// Returns the private key as unencrypted PKCS#8 PEM, to write a key file that the nodes
    /// of a cluster share.
    ///
    /// - Warning: the text is the secret key. Write it only to a file readable by the server.
    public func privateKeyPEM() throws -> String {
        try EVPKey.pemText { bio in
            PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil)
        }
    }

    private static func checkSize(_ bits: Int, source: String) throws {
        guard (minimumBits...maximumBits).contains(bits) else {
            throw SecurityError(
                .invalidArgument, reason: "RSA key size of the \(source) is outside the accepted range",
                value: String(bits), fix: "use a key of \(minimumBits) to \(maximumBits) bits, for example 2048")
        }
    }
}
