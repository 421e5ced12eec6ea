import InternalAPISecurity
import Testing

@testable import KeyStores

@Suite("PEM key stores")
struct PEMKeyStoreTests {
    @Test func combinedFileLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.pemCombined, type: "PEM", password: nil)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=pem.example")
        #expect(store.certificateChain.count == 1)
    }

    @Test func splitFilesLoad() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.loadPEM(certificatePath: fixtures.pemCertificate, keyPath: fixtures.pemKey)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
        #expect(key.bits == 2048)
    }

    @Test func encryptedKeyLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.loadPEM(
            certificatePath: fixtures.pemCertificate, keyPath: fixtures.pemEncryptedKey,
            keyPassword: KeyStoreFixtures.pemKeyPassword)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
    }

    @Test func encryptedKeyWrongPassword() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.loadPEM(
                certificatePath: fixtures.pemCertificate, keyPath: fixtures.pemEncryptedKey, keyPassword: "wrong-one")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("password is wrong"))
        #expect(error.value == fixtures.pemEncryptedKey)
    }

    @Test func encryptedKeyWithoutPassword() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.loadPEM(certificatePath: fixtures.pemCertificate, keyPath: fixtures.pemEncryptedKey)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("No password"))
    }

    @Test func certificateOnlyFileIsTrusted() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.pemCertificate, password: nil)

        #expect(store.privateKey == nil)
        #expect(store.certificateChain.isEmpty)
        #expect(store.trustedCertificates.map(\.subject) == ["CN=pem.example"])
    }

    @Test func leafMovedFirst() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let jks = try KeyStore.load(path: fixtures.jks, password: KeyStoreFixtures.storePassword)
        let other = try #require(jks.certificate)
        let pemText = try String(contentsOfFile: fixtures.pemCombined, encoding: .utf8)
        let path = try KeyStoreFixtures.write(Array((other.pemString + pemText).utf8), named: "two-certificates.pem")

        let store = try KeyStore.load(path: path, password: nil)

        #expect(store.certificateChain.map(\.subject) == ["CN=pem.example", "CN=localhost"])
    }

    @Test func mismatchedKeyRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let jks = try KeyStore.load(path: fixtures.jks, password: KeyStoreFixtures.storePassword)
        let otherCertificate = try #require(jks.certificate)
        let certificatePath = try KeyStoreFixtures.write(Array(otherCertificate.pemString.utf8), named: "other.pem")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.loadPEM(certificatePath: certificatePath, keyPath: fixtures.pemKey)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("matches no certificate"))
    }

    @Test func damagedCertificateRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        var text = try String(contentsOfFile: fixtures.pemCertificate, encoding: .utf8)
        text = text.replacingOccurrences(of: "-----END CERTIFICATE-----", with: "AAAA\n-----END CERTIFICATE-----")
        let path = try KeyStoreFixtures.write(Array(text.utf8), named: "damaged.pem")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, type: "PEM", password: nil)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("invalid"))
    }
}
