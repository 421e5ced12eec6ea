import InternalAPISecurity

/// Reads a JKS key store, the format of Java's `keytool -storetype JKS`.
///
/// Layout, all integers big-endian: magic 0xFEEDFEED, version (1 or 2), entry count, entries,
/// then a SHA-1 integrity digest. An entry is a tag (1 for a private key, 2 for a trusted
/// certificate), an alias (`writeUTF`), a creation time in milliseconds, then either an
/// encrypted private key with its certificate chain, or one certificate. Version 2 writes a
/// certificate type (`X.509`) before each certificate. The digest is
/// SHA-1(password as UTF-16BE + "Mighty Aphrodite" + every byte before the digest).
struct JKSReader {
    static let magic: UInt32 = 0xFEED_FEED
    static let integritySalt = Array("Mighty Aphrodite".utf8)

    private enum Tag: UInt32 {
        case privateKey = 1
        case trustedCertificate = 2
        // 3 is a secret key entry, which only JCEKS stores.
    }

    /// One entry as stored, before its key is decrypted.
    private struct Entry {
        var alias: String
        var encryptedKey: ArraySlice<UInt8>?
        var certificates: [ArraySlice<UInt8>]
    }

    let path: String
    let bytes: [UInt8]

    /// Parses the store, checks its integrity digest and decrypts the selected private key.
    ///
    /// With a nil `password` the integrity digest is not checked, as Java does; a private key
    /// still needs `keyPassword`.
    func load(password: String?, keyPassword: String?, alias: String?) throws -> LoadedKeyStore {
        let (entries, contentLength) = try parseEntries()
        if let password {
            try verifyIntegrity(password: password, contentLength: contentLength)
        }

        let aliases = entries.map(\.alias)
        let keyEntries = entries.filter { $0.encryptedKey != nil }
        let selected: Entry?
        if let alias {
            selected = keyEntries.first { $0.alias.lowercased() == alias.lowercased() }
            guard selected != nil else { throw KeyStoreErrors.aliasNotFound(path, alias: alias, aliases: aliases) }
        } else {
            selected = keyEntries.first
        }

        var privateKey: PrivateKey?
        var chain: [Certificate] = []
        if let selected, let encryptedKey = selected.encryptedKey {
            guard let keyPassword = keyPassword ?? password else {
                throw KeyStoreErrors.missingPassword(path, alias: selected.alias)
            }
            privateKey = try decryptKey(encryptedKey, password: keyPassword, alias: selected.alias)
            chain = try selected.certificates.map { try certificate($0, alias: selected.alias) }
        }

        let trusted = try entries.filter { $0.encryptedKey == nil }.map { entry in
            try certificate(entry.certificates[0], alias: entry.alias)
        }
        return LoadedKeyStore(
            type: .jks, privateKey: privateKey, certificateChain: chain, trustedCertificates: trusted,
            aliases: aliases, selectedAlias: selected?.alias)
    }

    private func parseEntries() throws -> (entries: [Entry], contentLength: Int) {
        var reader = BigEndianReader(bytes)
        do {
            guard try reader.readUInt32() == Self.magic else {
                throw KeyStoreErrors.damagedJKS(path, detail: "the file does not start with the JKS magic number")
            }
            let version = try reader.readUInt32()
            guard version == 1 || version == 2 else {
                throw KeyStoreErrors.damagedJKS(path, detail: "unsupported JKS version \(version)")
            }
            let count = try reader.readLength()

            var entries: [Entry] = []
            for _ in 0..<count {
                entries.append(try readEntry(&reader, version: version))
            }

            let contentLength = reader.offset
            guard reader.remaining == SHA1.digestLength else {
                let detail =
                    reader.remaining < SHA1.digestLength
                    ? "the file is truncated"
                    : "the file has \(reader.remaining - SHA1.digestLength) unexpected trailing bytes"
                throw KeyStoreErrors.damagedJKS(path, detail: detail)
            }
            return (entries, contentLength)
        } catch is BigEndianReader.EndOfInput {
            throw KeyStoreErrors.damagedJKS(path, detail: "the file is truncated or a length field is invalid")
        } catch is BigEndianReader.InvalidString {
            throw KeyStoreErrors.damagedJKS(path, detail: "an alias or certificate type is not valid modified UTF-8")
        }
    }

    private func readEntry(_ reader: inout BigEndianReader, version: UInt32) throws -> Entry {
        let rawTag = try reader.readUInt32()
        guard let tag = Tag(rawValue: rawTag) else {
            let detail =
                rawTag == 3
                ? "it holds a secret key entry, which only JCEKS stores have" : "unknown entry type \(rawTag)"
            throw KeyStoreErrors.damagedJKS(path, detail: detail)
        }
        let alias = try reader.readJavaUTF()
        _ = try reader.readUInt64()  // The creation time is not used.

        switch tag {
        case .privateKey:
            let encryptedKey = try reader.readBytes(try reader.readLength())
            let chainLength = try reader.readLength()
            var certificates: [ArraySlice<UInt8>] = []
            for _ in 0..<chainLength {
                certificates.append(try readCertificate(&reader, version: version, alias: alias))
            }
            return Entry(alias: alias, encryptedKey: encryptedKey, certificates: certificates)
        case .trustedCertificate:
            let certificate = try readCertificate(&reader, version: version, alias: alias)
            return Entry(alias: alias, encryptedKey: nil, certificates: [certificate])
        }
    }

    private func readCertificate(_ reader: inout BigEndianReader, version: UInt32, alias: String) throws
        -> ArraySlice<UInt8>
    {
        if version == 2 {
            let certificateType = try reader.readJavaUTF()
            guard certificateType == "X.509" else {
                throw KeyStoreErrors.damagedJKS(
                    path, detail: "entry '\(alias)' holds a '\(certificateType)' certificate; only X.509 is supported")
            }
        }
        return try reader.readBytes(try reader.readLength())
    }

    private func verifyIntegrity(password: String, contentLength: Int) throws {
        var passwordBytes = JKSKeyProtector.utf16BigEndian(password)
        defer { JKSKeyProtector.wipe(&passwordBytes) }
        let computed = try SHA1.hash(
            parts: [passwordBytes[...], Self.integritySalt[...], bytes[0..<contentLength]])
        guard SHA1.equal(computed, bytes[contentLength...]) else {
            throw KeyStoreErrors.wrongStorePassword(path, type: "JKS")
        }
    }

    private func decryptKey(_ encryptedKey: ArraySlice<UInt8>, password: String, alias: String) throws -> PrivateKey {
        do {
            return try JKSKeyProtector.decrypt(encryptedKey, password: password)
        } catch JKSKeyProtector.Failure.wrongPassword(let underlying) {
            throw KeyStoreErrors.wrongKeyPassword(path, alias: alias, underlying: underlying)
        } catch JKSKeyProtector.Failure.malformed(let detail, let underlying) {
            throw KeyStoreErrors.damagedJKS(path, detail: "entry '\(alias)': \(detail)", underlying: underlying)
        }
    }

    private func certificate(_ der: ArraySlice<UInt8>, alias: String) throws -> Certificate {
        do {
            return try Certificate(derBytes: Array(der))
        } catch let error as SecurityError {
            throw KeyStoreErrors.damagedJKS(
                path, detail: "entry '\(alias)' holds an invalid certificate", underlying: error.underlying)
        }
    }
}
