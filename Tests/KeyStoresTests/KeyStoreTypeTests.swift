import InternalAPISecurity
import Testing

@testable import KeyStores

@Suite("Key store types")
struct KeyStoreTypeTests {
    @Test func typeNamesIgnoreCase() {
        #expect(KeyStoreType(name: "jks") == .jks)
        #expect(KeyStoreType(name: " JKS ") == .jks)
        #expect(KeyStoreType(name: "Pkcs12") == .pkcs12)
        #expect(KeyStoreType(name: "p12") == .pkcs12)
        #expect(KeyStoreType(name: "PKCS#12") == .pkcs12)
        #expect(KeyStoreType(name: "pem") == .pem)
        #expect(KeyStoreType(name: "JCEKS") == nil)
    }

    @Test func formatsDetectedFromContent() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let cases: [(String, String?, KeyStoreType)] = [
            (fixtures.jks, KeyStoreFixtures.storePassword, .jks),
            (fixtures.keytoolPKCS12, KeyStoreFixtures.pkcs12Password, .pkcs12),
            (fixtures.opensslPKCS12, KeyStoreFixtures.pkcs12Password, .pkcs12),
            (fixtures.pemCombined, nil, .pem),
        ]

        for (path, password, expected) in cases {
            let store = try KeyStore.load(path: path, type: nil, password: password)

            #expect(store.type == expected, "\(path)")
            #expect(store.privateKey != nil, "\(path)")
        }
    }

    @Test func jksTypeReadsPKCS12File() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let store = try KeyStore.load(
            path: fixtures.keytoolPKCS12, type: "JKS", password: KeyStoreFixtures.pkcs12Password)

        #expect(store.type == .pkcs12)
        #expect(store.privateKey != nil)
    }

    @Test func referenceLoads() throws {
        let fixtures = try KeyStoreFixtures.shared()
        let reference = KeyStoreReference(
            path: fixtures.jks, type: "JKS", password: KeyStoreFixtures.storePassword, keyPassword: nil,
            alias: "wso2carbon")

        let store = try KeyStore.load(reference)

        #expect(store.selectedAlias == "wso2carbon")
        #expect(store.privateKey != nil)
    }

    @Test func jceksRejectedWithHint() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.jceks, type: nil, password: KeyStoreFixtures.storePassword)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("JCEKS"))
        #expect(error.fix?.contains("-srcstoretype JCEKS") == true)
        #expect(error.fix?.contains("-deststoretype PKCS12") == true)
    }

    @Test func unknownTypeRejected() throws {
        let fixtures = try KeyStoreFixtures.shared()

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: fixtures.jks, type: "BKS", password: KeyStoreFixtures.storePassword)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.value == "BKS")
        #expect(error.fix?.contains("PKCS12") == true)
    }

    @Test func unknownContentRejected() throws {
        let path = try KeyStoreFixtures.write(Array("just some text\n".utf8), named: "notes.txt")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, password: nil)
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.value == path)
    }

    @Test func emptyFileRejected() throws {
        let path = try KeyStoreFixtures.write([], named: "empty.jks")

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, type: "JKS", password: "wso2carbon")
        }

        #expect(error.code == .keyStoreFailed)
        #expect(error.reason.contains("empty"))
        #expect(error.value == path)
    }

    @Test func missingFileNotReadable() throws {
        let path = "/nonexistent-keystores-test/wso2carbon.jks"

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: path, type: "JKS", password: "wso2carbon")
        }

        #expect(error.code == .fileNotReadable)
        #expect(error.value == path)
    }

    @Test func directoryNotReadable() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let error = try #require(throws: SecurityError.self) {
            try KeyStore.load(path: directory.url.path, password: nil)
        }

        #expect(error.code == .fileNotReadable)
    }
}
