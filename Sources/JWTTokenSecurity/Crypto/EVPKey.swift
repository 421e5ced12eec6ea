import COpenSSL
import CShims
import InternalAPISecurity

/// Owns one OpenSSL `EVP_PKEY` and frees it on deinit.
///
/// `@unchecked Sendable` is sound because the key is never modified after creation, and each
/// signing or verifying call creates its own `EVP_MD_CTX`, so threads share only the read-only key.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// The key size in bits.
    var bits: Int {
        Int(EVP_PKEY_get_bits(pointer))
    }

    var isRSA: Bool {
        EVP_PKEY_is_a(pointer, "RSA") == 1
    }

    /// Returns the big-endian bytes of a big-number parameter such as `n` or `e`.
    func bigNumberParameter(_ name: String) throws -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else {
            throw OpenSSLErrors.failure("Reading an RSA key parameter failed", value: name)
        }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
        let written = BN_bn2bin(number, &bytes)
        guard written == bytes.count else {
            throw OpenSSLErrors.failure("Encoding an RSA key parameter failed", value: name)
        }
        return bytes
    }

    /// The SubjectPublicKeyInfo DER encoding of the public half.
    func publicKeyDER() throws -> [UInt8] {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else {
            throw OpenSSLErrors.failure("Encoding the public key as DER failed")
        }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pointer, &cursor)
        }
        guard written == length else {
            throw OpenSSLErrors.failure("Encoding the public key as DER failed")
        }
        return bytes
    }

    /// Writes PEM text through `write` into a memory BIO and returns it.
    static func pemText(_ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw OpenSSLErrors.failure("Allocating an OpenSSL memory buffer failed")
        }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else {
            throw OpenSSLErrors.failure("Encoding the key as PEM failed")
        }
        var data: UnsafeMutablePointer<CChar>?
        let length = cshims_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else {
            throw OpenSSLErrors.failure("Encoding the key as PEM failed")
        }
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a PEM key through `read` from a memory BIO holding `pem`.
    ///
    /// `read` must pass a password callback that returns 0, so an encrypted PEM fails at once
    /// instead of OpenSSL prompting on the terminal (its default with a nil callback).
    static func readPEM(_ pem: String, read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        var pem = pem
        return pem.withUTF8 { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }
}
