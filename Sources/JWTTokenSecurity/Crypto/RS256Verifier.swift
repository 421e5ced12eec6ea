import COpenSSL
import InternalAPISecurity

/// Verifies RS256 signatures and compact JWS tokens with one public key.
///
/// The server never calls this per request, because store membership is what makes a token
/// valid. It exists for tests and tooling, and for clients that check a token against the
/// published JWKS. Safe to use from many tasks at once.
public struct RS256Verifier: Sendable {
    /// The key that verifies.
    public let key: RSAPublicKey

    public init(key: RSAPublicKey) {
        self.key = key
    }

    /// Returns whether `signature` is a valid RS256 signature of `message`.
    ///
    /// - Throws: `cryptographyFailed` when OpenSSL cannot run the check at all. A wrong
    ///   signature is `false`, not an error.
    public func verify<Message: Collection<UInt8>>(signature: [UInt8], of message: Message) throws -> Bool {
        guard let context = EVP_MD_CTX_new() else {
            throw OpenSSLErrors.failure("Allocating an OpenSSL digest context failed")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit_ex(context, nil, "SHA256", nil, nil, key.key.pointer, nil) == 1 else {
            throw OpenSSLErrors.failure("Starting an RS256 verification failed")
        }
        let input = Array(message)
        let status = EVP_DigestVerify(context, signature, signature.count, input, input.count)
        // A failed verification leaves entries in the error queue; clear them so they are
        // not reported with a later, unrelated failure.
        _ = OpenSSLErrors.drain()
        return status == 1
    }

    /// Returns whether `token`, a JWS in compact serialisation, carries a valid RS256
    /// signature over its first two parts.
    ///
    /// The header's `alg` is deliberately not read. This verifier only ever checks RS256, so a
    /// token cannot choose a weaker algorithm or `none`.
    public func verify(token: String) throws -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Base64URL.decode(parts[2]) else { return false }
        let signingInput = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
        return try verify(signature: signature, of: signingInput)
    }
}
