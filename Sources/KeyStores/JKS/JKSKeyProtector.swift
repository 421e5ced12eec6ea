import COpenSSL
import InternalAPISecurity

/// Decrypts the private keys of JKS entries.
///
/// Each key is a PKCS#8 `EncryptedPrivateKeyInfo`. `keytool` protects it with Sun's own
/// algorithm (OID 1.3.6.1.4.1.42.2.17.1.1), whose encrypted data is a 20-byte salt, the key
/// XORed with a keystream, and a 20-byte check. The keystream is SHA-1(password + salt), then
/// SHA-1(password + previous block) repeated, and the check is SHA-1(password + plain key);
/// the password enters as UTF-16BE, two bytes per Java `char`. Keys under a standard PKCS#5
/// algorithm are decrypted by OpenSSL instead.
enum JKSKeyProtector {
    static let sunKeyProtectorOID = "1.3.6.1.4.1.42.2.17.1.1"

    /// A reason that decrypting a key failed.
    enum Failure: Error {
        /// The check digest did not match: a wrong password or damaged data.
        case wrongPassword(underlying: String?)
        /// The bytes are not an `EncryptedPrivateKeyInfo` or the plain key is not PKCS#8.
        case malformed(String, underlying: String?)
    }

    /// Decrypts `encoded`, the DER `EncryptedPrivateKeyInfo` of one JKS entry.
    static func decrypt(_ encoded: ArraySlice<UInt8>, password: String) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        guard let info = parseEncryptedInfo(encoded) else {
            throw Failure.malformed(
                "the private key is not a PKCS#8 EncryptedPrivateKeyInfo", underlying: OpenSSLErrorQueue.drainText())
        }
        defer { X509_SIG_free(info) }

        var algorithm: UnsafePointer<X509_ALGOR>?
        var encryptedData: UnsafePointer<ASN1_OCTET_STRING>?
        X509_SIG_get0(info, &algorithm, &encryptedData)
        guard let algorithm, let encryptedData else {
            throw Failure.malformed("the private key has no algorithm or data", underlying: nil)
        }

        guard objectIdentifier(of: algorithm) == sunKeyProtectorOID else {
            return try decryptWithOpenSSL(info, password: password)
        }
        guard let dataPointer = ASN1_STRING_get0_data(encryptedData) else {
            throw Failure.malformed("the encrypted private key is empty", underlying: nil)
        }
        let data = Array(UnsafeBufferPointer(start: dataPointer, count: Int(ASN1_STRING_length(encryptedData))))
        var plainKey = try unprotect(data, password: password)
        defer { wipe(&plainKey) }
        return try parsePrivateKeyInfo(plainKey)
    }

    /// Removes Sun's key protection from `data` (salt, encrypted key, check) and returns the
    /// DER `PrivateKeyInfo`.
    static func unprotect(_ data: [UInt8], password: String) throws -> [UInt8] {
        let digestLength = SHA1.digestLength
        guard data.count > 2 * digestLength else {
            throw Failure.malformed("the encrypted private key is too short", underlying: nil)
        }
        var passwordBytes = utf16BigEndian(password)
        defer { wipe(&passwordBytes) }

        let salt = Array(data[0..<digestLength])
        let encrypted = data[digestLength..<(data.count - digestLength)]
        let check = data[(data.count - digestLength)...]

        var plainKey = [UInt8](repeating: 0, count: encrypted.count)
        var block = salt
        var position = 0
        while position < plainKey.count {
            block = try SHA1.hash(passwordBytes, block)
            for byte in block where position < plainKey.count {
                plainKey[position] = encrypted[encrypted.startIndex + position] ^ byte
                position += 1
            }
        }
        wipe(&block)

        guard SHA1.equal(try SHA1.hash(passwordBytes, plainKey), check) else {
            wipe(&plainKey)
            throw Failure.wrongPassword(underlying: nil)
        }
        return plainKey
    }

    /// Encodes the password as JKS does with a Java `char[]`: UTF-16, big-endian, no BOM.
    static func utf16BigEndian(_ password: String) -> [UInt8] {
        password.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            OPENSSL_cleanse(buffer.baseAddress, buffer.count)
        }
    }

    private static func parseEncryptedInfo(_ encoded: ArraySlice<UInt8>) -> OpaquePointer? {
        encoded.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509_SIG(nil, &cursor, buffer.count)
        }
    }

    private static func objectIdentifier(of algorithm: UnsafePointer<X509_ALGOR>) -> String? {
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        guard let object else { return nil }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0, Int(length) < buffer.count else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func decryptWithOpenSSL(_ info: OpaquePointer, password: String) throws -> PrivateKey {
        let decrypted = password.withCString { PKCS8_decrypt(info, $0, Int32(password.utf8.count)) }
        guard let decrypted else {
            throw Failure.wrongPassword(underlying: OpenSSLErrorQueue.drainText())
        }
        defer { PKCS8_PRIV_KEY_INFO_free(decrypted) }
        guard let key = EVP_PKCS82PKEY(decrypted) else {
            throw Failure.malformed("the decrypted private key is not valid", underlying: OpenSSLErrorQueue.drainText())
        }
        return PrivateKey(taking: key)
    }

    private static func parsePrivateKeyInfo(_ plainKey: [UInt8]) throws -> PrivateKey {
        let info = plainKey.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, buffer.count)
        }
        guard let info else {
            throw Failure.malformed(
                "the decrypted private key is not PKCS#8", underlying: OpenSSLErrorQueue.drainText())
        }
        defer { PKCS8_PRIV_KEY_INFO_free(info) }
        guard let key = EVP_PKCS82PKEY(info) else {
            throw Failure.malformed("the decrypted private key is not valid", underlying: OpenSSLErrorQueue.drainText())
        }
        return PrivateKey(taking: key)
    }
}
