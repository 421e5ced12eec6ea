import COpenSSL
import InternalAPISecurity

/// RSA encryption and decryption of secure-vault values with OpenSSL's EVP interface.
enum RSACipher {
    /// Encrypts the UTF-8 bytes of `plaintext` with the public half of `key`.
    ///
    /// - Throws: `SecurityError` with code `invalidArgument` when the value is too long for the
    ///   key and padding, or `cryptographyFailed` when OpenSSL fails.
    static func encrypt(_ plaintext: String, with key: RSAKey, transformation: CipherTransformation) throws -> [UInt8] {
        var input = Array(plaintext.utf8)
        defer { OPENSSL_cleanse(&input, input.count) }

        let overhead = transformation == .rsaOAEPWithSHA1 ? 42 : 11
        let maximum = key.modulusBytes - overhead
        guard input.count <= maximum else {
            throw SecurityError(
                .invalidArgument, reason: "The value is too long for this RSA key and padding",
                value: "\(input.count) bytes, at most \(maximum)",
                fix: "use a larger key or a shorter value")
        }

        let context = try makeContext(key, transformation: transformation, forEncryption: true)
        defer { EVP_PKEY_CTX_free(context) }

        var length = 0
        guard EVP_PKEY_encrypt(context, nil, &length, input, input.count) == 1 else {
            throw failure("RSA encryption failed")
        }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_encrypt(context, &output, &length, input, input.count) == 1 else {
            throw failure("RSA encryption failed")
        }
        return Array(output.prefix(length))
    }

    /// Decrypts `ciphertext` and returns it as a UTF-8 string. OpenSSL's output buffer is
    /// cleansed before it is released.
    ///
    /// - Throws: `SecurityError` with code `cryptographyFailed` when the ciphertext does not
    ///   decrypt with this key and padding or is not UTF-8. The message names no plaintext.
    static func decrypt(_ ciphertext: [UInt8], with key: RSAKey, transformation: CipherTransformation) throws -> String
    {
        let context = try makeContext(key, transformation: transformation, forEncryption: false)
        defer { EVP_PKEY_CTX_free(context) }

        var length = key.modulusBytes
        var output = [UInt8](repeating: 0, count: length)
        defer { OPENSSL_cleanse(&output, output.count) }
        guard EVP_PKEY_decrypt(context, &output, &length, ciphertext, ciphertext.count) == 1 else {
            throw failure("RSA decryption failed")
        }
        guard let text = String(validating: output.prefix(length), as: UTF8.self) else {
            throw SecurityError(.cryptographyFailed, reason: "The decrypted value is not UTF-8 text")
        }
        return text
    }

    private static func makeContext(
        _ key: RSAKey, transformation: CipherTransformation, forEncryption: Bool
    ) throws -> OpaquePointer {
        OpenSSLErrors.clear()
        guard let context = EVP_PKEY_CTX_new(key.pointer, nil) else {
            throw failure("RSA context could not be created")
        }
        let initialised = forEncryption ? EVP_PKEY_encrypt_init(context) : EVP_PKEY_decrypt_init(context)
        guard initialised == 1, configurePadding(context, transformation: transformation) else {
            EVP_PKEY_CTX_free(context)
            throw failure("RSA padding could not be set")
        }
        return context
    }

    private static func configurePadding(_ context: OpaquePointer, transformation: CipherTransformation) -> Bool {
        switch transformation {
        case .rsaOAEPWithSHA1:
            // Java's OAEPwithSHA1andMGF1Padding uses SHA-1 for both the label hash and MGF1.
            return EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) == 1
                && EVP_PKEY_CTX_set_rsa_oaep_md(context, EVP_sha1()) == 1
                && EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha1()) == 1
        case .rsaPKCS1:
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1 else { return false }
            // OpenSSL 3.2 and later return random bytes instead of an error for bad PKCS #1
            // v1.5 padding ("implicit rejection"), but a wrong key must be an error here.
            // OpenSSL 3.0 lacks the parameter, so a failure to set it is ignored.
            _ = EVP_PKEY_CTX_ctrl_str(context, "rsa_pkcs1_implicit_rejection", "0")
            OpenSSLErrors.clear()
            return true
        }
    }

    private static func failure(_ reason: String) -> SecurityError {
        SecurityError(.cryptographyFailed, reason: reason, underlying: OpenSSLErrors.drain())
    }
}
