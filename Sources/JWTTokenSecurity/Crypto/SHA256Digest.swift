import COpenSSL
import InternalAPISecurity

/// SHA-256 through OpenSSL, with the algorithm fetched once.
///
/// `EVP_sha256()` makes OpenSSL 3 look the implementation up in its provider store on every
/// call. A bearer request hashes its token each time, so the fetched method is kept instead.
enum SHA256Digest {
    /// The fetched `EVP_MD`. OpenSSL documents fetched methods as safe to share between threads.
    private nonisolated(unsafe) static let method: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    /// Returns the 32-byte digest of `bytes`.
    ///
    /// - Throws: `cryptographyFailed` when OpenSSL cannot provide SHA-256 (a broken install).
    static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws -> [UInt8] {
        guard let method else {
            throw OpenSSLErrors.failure(
                "OpenSSL has no SHA-256 implementation", fix: "check the OpenSSL 3 installation")
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { output in
            bytes.withContiguousStorageIfAvailable { input in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, method, nil)
            }
                ?? Array(bytes).withUnsafeBufferPointer { input in
                    EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, method, nil)
                }
        }
        guard status == 1, length == 32 else {
            throw OpenSSLErrors.failure("SHA-256 digest failed")
        }
        return digest
    }
}

extension TokenDigest {
    /// Creates the store key of a token: the SHA-256 of its exact UTF-8 bytes, so any
    /// re-spelling of a token (padding, case, whitespace) is a different key.
    ///
    /// - Throws: `cryptographyFailed` when OpenSSL cannot provide SHA-256.
    public init(sha256Of token: String) throws {
        var token = token
        let digest = try token.withUTF8 { try SHA256Digest.hash($0) }
        try self.init(bytes: digest)
    }
}
