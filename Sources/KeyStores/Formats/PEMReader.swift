import COpenSSL
import Foundation
import InternalAPISecurity

/// Reads certificates and a private key from PEM text.
enum PEMReader {
    /// Reads a PEM file that contains certificates and, optionally, a private key. Without a key
    /// the certificates are returned as trusted certificates.
    static func load(path: String, bytes: [UInt8], keyPassword: String?) throws -> LoadedKeyStore {
        let certificates = try readCertificates(bytes, path: path)
        guard let key = try readKey(bytes, path: path, password: keyPassword) else {
            guard !certificates.isEmpty else {
                throw KeyStoreErrors.damaged(
                    path, type: "PEM", detail: "the file contains no certificate and no private key")
            }
            return LoadedKeyStore(
                type: .pem, privateKey: nil, certificateChain: [], trustedCertificates: certificates, aliases: [],
                selectedAlias: nil)
        }
        return try makeStore(key: key, certificates: certificates, certificatePath: path, keyPath: path)
    }

    /// Reads a certificate chain and a private key from two PEM files.
    static func load(
        certificatePath: String, certificateBytes: [UInt8], keyPath: String, keyBytes: [UInt8], keyPassword: String?
    ) throws -> LoadedKeyStore {
        let certificates = try readCertificates(certificateBytes, path: certificatePath)
        guard let key = try readKey(keyBytes, path: keyPath, password: keyPassword) else {
            throw KeyStoreErrors.damaged(keyPath, type: "PEM", detail: "the file contains no private key")
        }
        return try makeStore(key: key, certificates: certificates, certificatePath: certificatePath, keyPath: keyPath)
    }

    /// Puts the certificate that matches `key` first, as TLS servers send the leaf first.
    private static func makeStore(
        key: PrivateKey, certificates: [Certificate], certificatePath: String, keyPath: String
    ) throws -> LoadedKeyStore {
        guard !certificates.isEmpty else {
            throw KeyStoreErrors.damaged(certificatePath, type: "PEM", detail: "the file contains no certificate")
        }
        guard let leafIndex = certificates.firstIndex(where: key.matches) else {
            throw SecurityError(
                .keyStoreFailed, reason: "The private key in \(keyPath) matches no certificate in the file",
                value: certificatePath, fix: "Configure the certificate that was issued for this private key")
        }
        var chain = certificates
        chain.insert(chain.remove(at: leafIndex), at: 0)
        return LoadedKeyStore(
            type: .pem, privateKey: key, certificateChain: chain, trustedCertificates: [], aliases: [],
            selectedAlias: nil)
    }

    private static func readCertificates(_ bytes: [UInt8], path: String) throws -> [Certificate] {
        OpenSSLErrorQueue.clear()
        let certificates: [Certificate] = try MemoryBIO.reading(bytes) { bio in
            var certificates: [Certificate] = []
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(Certificate(taking: certificate))
            }
            return certificates
        }
        // The loop ends with a "no start line" error at the end of the text, so a damaged
        // certificate is found by counting the blocks instead.
        let blocks = count(of: "-----BEGIN CERTIFICATE-----", in: bytes)
        let errors = OpenSSLErrorQueue.drainText()
        guard certificates.count == blocks else {
            throw KeyStoreErrors.damaged(
                path, type: "PEM", detail: "\(blocks - certificates.count) of \(blocks) certificates are invalid",
                underlying: errors)
        }
        return certificates
    }

    private static func readKey(_ bytes: [UInt8], path: String, password: String?) throws -> PrivateKey? {
        guard count(of: "PRIVATE KEY-----", in: bytes) > 0 else { return nil }
        let encrypted =
            count(of: "ENCRYPTED PRIVATE KEY-----", in: bytes) > 0 || count(of: "Proc-Type: 4,ENCRYPTED", in: bytes) > 0
        if encrypted, password == nil {
            throw KeyStoreErrors.missingPassword(path, alias: nil)
        }

        OpenSSLErrorQueue.clear()
        let key: OpaquePointer? = try MemoryBIO.reading(bytes) { bio in
            // A password is always passed through the callback: with a nil one, OpenSSL would
            // prompt on the terminal for an encrypted key.
            guard let password else { return PEM_read_bio_PrivateKey(bio, nil, noPassword, nil) }
            return password.withCString { text in
                PEM_read_bio_PrivateKey(bio, nil, supplyPassword, UnsafeMutableRawPointer(mutating: text))
            }
        }
        guard let key else {
            let errors = OpenSSLErrorQueue.drain()
            if encrypted, errors.isBadPassword {
                throw KeyStoreErrors.wrongKeyPassword(path, alias: nil, underlying: errors.text)
            }
            throw KeyStoreErrors.damaged(
                path, type: "PEM", detail: "the private key is invalid", underlying: errors.text)
        }
        return PrivateKey(taking: key)
    }

    private static func count(of marker: String, in bytes: [UInt8]) -> Int {
        let pattern = Array(marker.utf8)
        guard bytes.count >= pattern.count else { return 0 }
        var matches = 0
        var start = 0
        while start <= bytes.count - pattern.count {
            if bytes[start] == pattern[0], bytes[start..<(start + pattern.count)].elementsEqual(pattern) {
                matches += 1
                start += pattern.count
            } else {
                start += 1
            }
        }
        return matches
    }
}

/// Copies the NUL-terminated password in `userdata` into OpenSSL's buffer.
private func supplyPassword(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    guard let buffer, let userdata else { return -1 }
    let password = userdata.assumingMemoryBound(to: CChar.self)
    let length = strlen(password)
    guard length <= Int(size) else { return -1 }
    memcpy(buffer, password, length)
    return Int32(length)
}

/// Supplies no password, so reading an encrypted key fails instead of prompting on the terminal.
private func noPassword(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ writing: Int32, _ userdata: UnsafeMutableRawPointer?
) -> Int32 {
    -1
}
