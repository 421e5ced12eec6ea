import COpenSSL
import InternalAPISecurity

/// SHA-1 through OpenSSL, for the JKS integrity digest and key protector, which are defined on
/// SHA-1. Nothing else in the project should use it.
enum SHA1 {
    static let digestLength = 20

    /// Hashes the concatenation of `parts`.
    ///
    /// - Throws: `SecurityError` with code `.cryptographyFailed` if OpenSSL fails.
    static func hash(_ parts: [UInt8]...) throws -> [UInt8] {
        try hash(parts: parts.map { $0[...] })
    }

    /// Hashes the concatenation of `parts`.
    static func hash(parts: [ArraySlice<UInt8>]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw KeyStoreErrors.outOfMemory() }
        defer { EVP_MD_CTX_free(context) }

        guard EVP_DigestInit_ex(context, EVP_sha1(), nil) == 1 else { throw failure() }
        for part in parts {
            let updated = part.withUnsafeBytes { buffer in
                EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
            }
            guard updated == 1 else { throw failure() }
        }

        var digest = [UInt8](repeating: 0, count: digestLength)
        guard EVP_DigestFinal_ex(context, &digest, nil) == 1 else { throw failure() }
        return digest
    }

    /// Compares two digests in constant time, so a mismatch does not reveal where it starts.
    static func equal(_ first: [UInt8], _ second: ArraySlice<UInt8>) -> Bool {
        guard first.count == second.count else { return false }
        return first.withUnsafeBytes { firstBuffer in
            second.withUnsafeBytes { secondBuffer in
                CRYPTO_memcmp(firstBuffer.baseAddress, secondBuffer.baseAddress, firstBuffer.count) == 0
            }
        }
    }

    private static func failure() -> SecurityError {
        SecurityError(.cryptographyFailed, reason: "SHA-1 digest failed", underlying: OpenSSLErrorQueue.drainText())
    }
}
