import COpenSSL
import InternalAPISecurity

/// A private key held by OpenSSL (`EVP_PKEY`), freed when the last reference goes away.
///
/// The key is never changed after it is made, and OpenSSL 3 allows concurrent use of a key
/// that is not modified, so a `PrivateKey` can be shared between threads.
public final class PrivateKey: @unchecked Sendable {
    /// The `EVP_PKEY*` this object owns. Other modules may use it for as long as they hold this
    /// object; to keep it longer, take a reference with `EVP_PKEY_up_ref`.
    public let pointer: OpaquePointer

    /// Takes ownership of `pointer`: it is freed with `EVP_PKEY_free` when this object goes.
    public init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The key size in bits, for example 2048 for an RSA-2048 key or 256 for a P-256 key.
    public var bits: Int {
        Int(EVP_PKEY_get_bits(pointer))
    }

    /// The key type as OpenSSL names it, for example `RSA`, `EC` or `ED25519`.
    public var algorithm: String {
        if let name = EVP_PKEY_get0_type_name(pointer) {
            return String(cString: name)
        }
        if let shortName = OBJ_nid2sn(EVP_PKEY_get_base_id(pointer)) {
            return String(cString: shortName)
        }
        return "unknown"
    }

    /// Returns whether `certificate` carries the public half of this key.
    public func matches(_ certificate: Certificate) -> Bool {
        let matched = X509_check_private_key(certificate.pointer, pointer) == 1
        OpenSSLErrorQueue.clear()
        return matched
    }

    /// Encodes the key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    ///
    /// - Warning: The text is the secret key in the clear. Write it only to a file with mode
    ///   0600 and never log it.
    /// - Throws: `SecurityError` with code `.cryptographyFailed` if OpenSSL cannot encode the key.
    public func pemString() throws -> String {
        OpenSSLErrorQueue.clear()
        let text = MemoryBIO.writingText { bio in
            PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil) == 1
        }
        guard let text else {
            throw SecurityError(
                .cryptographyFailed, reason: "Encoding the private key as PEM failed",
                underlying: OpenSSLErrorQueue.drainText())
        }
        return text
    }
}
