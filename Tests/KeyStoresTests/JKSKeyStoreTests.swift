import COpenSSL
import Foundation
import InternalAPISecurity
import Testing

@testable import KeyStores

@Suite("JKS key stores")
struct JKSKeyStoreTests {
    @Test func privateKeyMatchesCertificate() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.jks, type: "JKS", password: KeyStoreFixtures.storePassword)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(X509_check_private_key(certificate.pointer, key.pointer) == 1)
        #expect(key.algorithm == "RSA")
        #expect(key.bits == 2048)
        #expect(certificate.subject == "CN=localhost")
        #expect(certificate.issuer == "CN=localhost")
        #expect(store.certificateChain.count == 1)
        #expect(store.aliases == ["wso2carbon"])
        #expect(store.selectedAlias == "wso2carbon")
        #expect(store.trustedCertificates.isEmpty)
        #expect(store.type == .jks)
    }

    @Test func certificateFieldsRoundTrip() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let store = try KeyStore.load(path: fixtures.jks, password: KeyStoreFixtures.storePassword)
        let certificate = try #require(store.certificate)

        let reparsed = try Certificate(derBytes: certificate.derBytes)

        #expect(reparsed.derBytes == certificate.derBytes)
        #expect(certificate.pemString.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(certificate.notAfter > Date().addingTimeInterval(29 * 86400))
        #expect(certificate.notAfter < Date().addingTimeInterval(31 * 86400))
        #expect(!certificate.isExpired())
    }

    @Test func keyPasswordDiffersFromStorePassword() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(
            path: fixtures.splitPasswordsJKS, type: "jks", password: KeyStoreFixtures.splitStorePassword,
            keyPassword: KeyStoreFixtures.splitKeyPassword, alias: "server")

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=server.example")
        #expect(store.selectedAlias == "server")
        #expect(Set(store.aliases) == ["server", "ec-key"])
    }

    @Test func aliasSelectsECKey() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(
            path: fixtures.splitPasswordsJKS, password: KeyStoreFixtures.splitStorePassword, alias: "EC-Key")

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.algorithm == "EC")
        #expect(key.bits == 256)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=ec.example")
    }

    @Test func wrongKeyPasswordRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(
                path: fixtures.splitPasswordsJKS, password: KeyStoreFixtures.splitStorePassword, alias: "server")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("private key password is wrong"))
        #expect(error.reason.contains("'server'"))
        #expect(!error.description.contains(KeyStoreFixtures.splitStorePassword))
    }

    @Test func unknownAliasListsAliases() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.jks, password: KeyStoreFixtures.storePassword, alias: "missing")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("'missing'"))
        #expect(error.fix?.contains("wso2carbon") == true)
        #expect(error.value == fixtures.jks)
    }

    @Test func trustStoreEntriesLoad() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.trustStoreJKS, password: KeyStoreFixtures.storePassword)

        #expect(store.privateKey == nil)
        #expect(store.certificateChain.isEmpty)
        #expect(Set(store.aliases) == ["wso2carbon", "pem-example"])
        #expect(Set(store.trustedCertificates.map(\.subject)) == ["CN=localhost", "CN=pem.example"])
    }

    @Test func trustStoreWithoutPasswordLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.trustStoreJKS, password: nil)

        #expect(store.trustedCertificates.count == 2)
    }

    @Test func wrongStorePasswordRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.jks, password: "not-the-password")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("password is wrong"))
        #expect(error.reason.contains("damaged"))
        #expect(error.value == fixtures.jks)
        #expect(!error.description.contains("not-the-password"))
    }

    @Test func truncatedFilesRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let bytes = try KeyStoreFixtures.bytes(of: fixtures.jks)

        // The cuts fall in the header, the first entry's fields, the encrypted key, the last
        // byte of the certificate and the digest.
        for length in [0, 3, 7, 11, 16, 30, 60, bytes.count / 2, bytes.count - 21, bytes.count - 1] {
            let path = try KeyStoreFixtures.write(Array(bytes.prefix(length)), named: "truncated.jks")

            let error = try #require(throws: SecurityError.self, "length \(length)") {
                try KeyStore.load(path: path, type: "JKS", password: KeyStoreFixtures.storePassword)
            }

            #expect(error.code == .keyStoreFailed, "length \(length)")
            #expect(error.value == path, "length \(length)")
        }
    }

    @Test func truncatedFileNamesConversion() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let bytes = try KeyStoreFixtures.bytes(of: fixtures.jks)
        let path = try KeyStoreFixtures.write(Array(bytes.prefix(bytes.count / 2)), named: "half.jks")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, password: KeyStoreFixtures.storePassword)
        }

        #expect(error.reason.contains("truncated"))
        #expect(error.fix?.contains("keytool -importkeystore -srckeystore \(path)") == true)
        #expect(error.fix?.contains("-deststoretype PKCS12") == true)
    }

    @Test func corruptedByteRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        var bytes = try KeyStoreFixtures.bytes(of: fixtures.jks)
        bytes[bytes.count - 100] ^= 0x01
        let path = try KeyStoreFixtures.write(bytes, named: "flipped.jks")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, password: KeyStoreFixtures.storePassword)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("password is wrong, or the file is damaged"))
    }

    @Test func corruptedKeyWithoutDigestCheck() throws {
        let fixtures = try KeyStoreFixtures.shared()
        var bytes = try KeyStoreFixtures.bytes(of: fixtures.jks)
        // Byte 100 lies inside the encrypted key; without a store password the digest is not
        // checked, so the key protector's own check must catch it.
        bytes[100] ^= 0x01
        let path = try KeyStoreFixtures.write(bytes, named: "flipped-key.jks")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, password: nil, keyPassword: KeyStoreFixtures.storePassword)
        }

        #expect(error.code == .keyStoreFailed)
    }

    @Test func everyFlippedByteRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let original = try KeyStoreFixtures.bytes(of: fixtures.jks)

        for position in original.indices {
            var bytes = original
            bytes[position] ^= 0x20
            let path = try KeyStoreFixtures.write(bytes, named: "flip-\(position).jks")
            defer { try? FileManager.default.removeItem(atPath: path) }

            #expect(throws: SecurityError.self, "byte \(position)") {
                try KeyStore.load(path: path, type: "JKS", password: KeyStoreFixtures.storePassword)
            }
        }
    }

    @Test func flippedBytesWithoutDigestCheck() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let original = try KeyStoreFixtures.bytes(of: fixtures.jks)
        var rejected = 0

        for position in original.indices {
            var bytes = original
            bytes[position] ^= 0x20
            let path = try KeyStoreFixtures.write(bytes, named: "flip-nodigest-\(position).jks")
            defer { try? FileManager.default.removeItem(atPath: path) }

            let result = Result {
                try KeyStore.load(path: path, password: nil, keyPassword: KeyStoreFixtures.storePassword)
            }
            if case .failure(let error) = result {
                #expect(error is SecurityError, "byte \(position): \(error)")
                rejected += 1
            }
        }

        // Flips in the encrypted key fail its check digest. Flips in the creation time or in
        // the unchecked integrity digest still load, so some flips are accepted.
        #expect(rejected > original.count / 2)
        #expect(rejected < original.count)
    }

    @Test func randomBytesAfterMagicRejected() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            let body = (0..<Int.random(in: 0..<400, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            let path = try KeyStoreFixtures.write([0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2] + body, named: "random.jks")

            #expect(throws: SecurityError.self, "round \(round)") {
                try KeyStore.load(path: path, password: KeyStoreFixtures.storePassword)
            }
        }
    }

    @Test func missingPasswordForKeyRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.jks, password: nil)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("No password"))
    }
}
