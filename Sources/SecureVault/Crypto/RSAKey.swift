import COpenSSL

/// An RSA key held by OpenSSL: a private key, or a public key for encryption only.
///
/// The key is immutable once loaded and every operation makes its own `EVP_PKEY_CTX`, so one
/// instance may be used from several threads at once.
final class RSAKey: @unchecked Sendable {
    let pointer: OpaquePointer
    /// Whether the key can decrypt.
    let isPrivate: Bool

    /// Takes ownership of `pointer`, which `deinit` frees.
    init(taking pointer: OpaquePointer, isPrivate: Bool) {
        self.pointer = pointer
        self.isPrivate = isPrivate
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Whether OpenSSL reports the key as RSA.
    var isRSA: Bool {
        EVP_PKEY_get_base_id(pointer) == EVP_PKEY_RSA
    }

    /// The modulus size in bytes, which bounds both the ciphertext and the plaintext.
    var modulusBytes: Int {
        Int(EVP_PKEY_get_size(pointer))
    }
}
