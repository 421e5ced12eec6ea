import COpenSSL
import InternalAPISecurity

/// Signs with RSASSA-PKCS1-v1_5 and SHA-256, the JWS `RS256` algorithm (RFC 7518, section 3.3).
///
/// Safe to use from many tasks at once: each call gets its own OpenSSL digest context.
public struct RS256Signer: Sendable {
    /// The key that signs.
    public let key: RSASigningKey

    public init(key: RSASigningKey) {
        self.key = key
    }

    /// Returns the signature of `message`, as long as the key's modulus.
    ///
    /// - Throws: `cryptographyFailed` when OpenSSL fails.
    public func sign<Bytes: Collection<UInt8>>(_ message: Bytes) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else {
            throw OpenSSLErrors.failure("Allocating an OpenSSL digest context failed")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit_ex(context, nil, "SHA256", nil, nil, key.key.pointer, nil) == 1 else {
            throw OpenSSLErrors.failure("Starting an RS256 signature failed")
        }

        let input = Array(message)
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, input.count) == 1 else {
            throw OpenSSLErrors.failure("Sizing an RS256 signature failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, input, input.count) == 1 else {
            throw OpenSSLErrors.failure("RS256 signing failed")
        }
        return Array(signature.prefix(length))
    }
}
