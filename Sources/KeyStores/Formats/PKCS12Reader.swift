import COpenSSL
import CShims
import InternalAPISecurity

/// Reads PKCS#12 files with OpenSSL's `PKCS12_parse`.
enum PKCS12Reader {
    private enum Attempt {
        case loaded(LoadedKeyStore)
        case unsupportedAlgorithm(String?)
    }

    /// Parses `bytes`, retrying once with the legacy provider when the file uses a cipher the
    /// default provider lacks.
    ///
    /// NOTE: `PKCS12_parse` returns the first private key of the file, so `alias` selects
    /// nothing: it is only checked against the friendly name of that key's certificate.
    static func load(path: String, bytes: [UInt8], password: String?, alias: String?) throws -> LoadedKeyStore {
        var attempt = try parse(path: path, bytes: bytes, password: password)
        if case .unsupportedAlgorithm(let underlying) = attempt {
            let provider = LegacyProvider.load()
            guard provider.loaded else {
                throw KeyStoreErrors.legacyPKCS12Unavailable(
                    path, underlying: [underlying, provider.underlying].compactMap { $0 }.joined(separator: "; "))
            }
            attempt = try parse(path: path, bytes: bytes, password: password)
        }

        switch attempt {
        case .unsupportedAlgorithm(let underlying):
            throw KeyStoreErrors.legacyPKCS12Unavailable(path, underlying: underlying)
        case .loaded(let store):
            if let alias, store.privateKey != nil, store.selectedAlias?.lowercased() != alias.lowercased() {
                throw KeyStoreErrors.aliasNotFound(path, alias: alias, aliases: store.aliases)
            }
            return store
        }
    }

    private static func parse(path: String, bytes: [UInt8], password: String?) throws -> Attempt {
        OpenSSLErrorQueue.clear()
        let container = bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PKCS12(nil, &cursor, buffer.count)
        }
        guard let container else {
            throw KeyStoreErrors.damaged(
                path, type: "PKCS#12", detail: "the file is not valid DER", underlying: OpenSSLErrorQueue.drainText())
        }
        defer { PKCS12_free(container) }

        var key: OpaquePointer?
        var leaf: OpaquePointer?
        var others: OpaquePointer?
        let parsed = PKCS12_parse(container, password, &key, &leaf, &others)
        defer { if let others { cshims_keystores_sk_X509_pop_free(others) } }
        guard parsed == 1 else {
            if let key { EVP_PKEY_free(key) }
            if let leaf { X509_free(leaf) }
            let errors = OpenSSLErrorQueue.drain()
            if errors.isBadPassword {
                throw KeyStoreErrors.wrongStorePassword(path, type: "PKCS#12", underlying: errors.text)
            }
            if errors.isUnsupportedAlgorithm { return .unsupportedAlgorithm(errors.text) }
            throw KeyStoreErrors.damaged(path, type: "PKCS#12", detail: "parsing failed", underlying: errors.text)
        }

        let privateKey = key.map { PrivateKey(taking: $0) }
        let leafCertificate = leaf.map { Certificate(taking: $0) }
        var additional: [Certificate] = []
        if let others {
            for index in 0..<cshims_keystores_sk_X509_num(others) {
                if let certificate = cshims_keystores_sk_X509_value(others, index) {
                    additional.append(Certificate(retaining: certificate))
                }
            }
        }

        let leafAlias = leafCertificate.flatMap(friendlyName)
        let aliases = ([leafAlias] + additional.map(friendlyName)).compactMap { $0 }
        if let privateKey {
            let chain = (leafCertificate.map { [$0] } ?? []) + additional
            return .loaded(
                LoadedKeyStore(
                    type: .pkcs12, privateKey: privateKey, certificateChain: chain, trustedCertificates: [],
                    aliases: aliases, selectedAlias: leafAlias))
        }
        let trusted = (leafCertificate.map { [$0] } ?? []) + additional
        return .loaded(
            LoadedKeyStore(
                type: .pkcs12, privateKey: nil, certificateChain: [], trustedCertificates: trusted, aliases: aliases,
                selectedAlias: nil))
    }

    private static func friendlyName(_ certificate: Certificate) -> String? {
        var length: Int32 = 0
        guard let name = X509_alias_get0(certificate.pointer, &length), length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: name, count: Int(length)), as: UTF8.self)
    }
}
