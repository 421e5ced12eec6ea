import COpenSSL
import InternalAPISecurity
import Testing

@testable import KeyStores

@Suite("PKCS#12 key stores")
struct PKCS12KeyStoreTests {
    @Test func keytoolStoreLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(
            path: fixtures.keytoolPKCS12, type: "PKCS12", password: KeyStoreFixtures.pkcs12Password)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(X509_check_private_key(certificate.pointer, key.pointer) == 1)
        #expect(certificate.subject == "CN=p12.example")
        #expect(store.selectedAlias == "p12key")
        #expect(store.type == .pkcs12)
    }

    @Test func opensslStoreLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(
            path: fixtures.opensslPKCS12, type: "p12", password: KeyStoreFixtures.pkcs12Password)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=pem.example")
        #expect(store.aliases == ["pem-example"])
    }

    @Test func legacyRC2StoreLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(path: fixtures.legacyPKCS12, password: KeyStoreFixtures.pkcs12Password)

        let key = try #require(store.privateKey)
        let certificate = try #require(store.certificate)
        #expect(key.matches(certificate))
        #expect(certificate.subject == "CN=pem.example")
    }

    @Test func wrongPasswordRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.opensslPKCS12, password: "not-the-password")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("password is wrong"))
        #expect(error.value == fixtures.opensslPKCS12)
        #expect(!error.description.contains("not-the-password"))
    }

    @Test func otherAliasRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.opensslPKCS12, password: KeyStoreFixtures.pkcs12Password, alias: "other")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("'other'"))
    }

    @Test func truncatedStoreRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let bytes = try KeyStoreFixtures.bytes(of: fixtures.opensslPKCS12)
        let path = try KeyStoreFixtures.write(Array(bytes.prefix(bytes.count - 40)), named: "truncated.p12")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, password: KeyStoreFixtures.pkcs12Password)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.value == path)
    }
}
