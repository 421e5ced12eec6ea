import COpenSSL
import InternalAPISecurity

/// The HMAC-SHA256 of a `username:password` pair, used as the key of the verified-credential cache.
///
/// Four words instead of a byte array, so hashing and comparing it allocates nothing.
struct CredentialDigest: Hashable, Sendable {
    let word0: UInt64
    let word1: UInt64
    let word2: UInt64
    let word3: UInt64
}

/// Computes `CredentialDigest`s with a random key drawn when the digester is created.
///
/// The cache never contains a password or an unkeyed hash of one. Without the key, which exists
/// only in this process's memory, a digest cannot be used to test password guesses.
struct CredentialDigester: Sendable {
    private static let keyLength = 32
    private let key: [UInt8]

    /// Draws a new key from OpenSSL's random generator.
    ///
    /// - Throws: `cryptographyFailed` when `RAND_bytes` fails, which happens only when the
    ///   operating system cannot provide entropy.
    init() throws {
        var key = [UInt8](repeating: 0, count: Self.keyLength)
        let status = key.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else {
            throw SecurityError(
                .cryptographyFailed, reason: "Could not generate the credential cache key",
                fix: "check that the operating system's random source is available",
                underlying: Self.openSSLError())
        }
        self.key = key
    }

    /// Returns the digest of `username:password`, or nil when OpenSSL fails (the caller then
    /// skips the cache and calls the user store).
    func digest(username: String, password: String) -> CredentialDigest? {
        let length = username.utf8.count + 1 + password.utf8.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { message in
            var index = 0
            for byte in username.utf8 {
                message[index] = byte
                index += 1
            }
            message[index] = UInt8(ascii: ":")
            index += 1
            for byte in password.utf8 {
                message[index] = byte
                index += 1
            }
            // The buffer contains the password, so wipe it in a way the optimiser cannot drop.
            defer { OPENSSL_cleanse(message.baseAddress, message.count) }
            return hmac(UnsafeBufferPointer(message))
        }
    }

    private func hmac(_ message: UnsafeBufferPointer<UInt8>) -> CredentialDigest? {
        var output = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var outputLength: UInt32 = 0
        let result = withUnsafeMutableBytes(of: &output) { outputBuffer in
            key.withUnsafeBytes { keyBuffer in
                HMAC(
                    EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), message.baseAddress, message.count,
                    outputBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), &outputLength)
            }
        }
        guard result != nil, outputLength == 32 else { return nil }
        return CredentialDigest(word0: output.0, word1: output.1, word2: output.2, word3: output.3)
    }

    private static func openSSLError() -> String? {
        let code = ERR_get_error()
        guard code != 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
