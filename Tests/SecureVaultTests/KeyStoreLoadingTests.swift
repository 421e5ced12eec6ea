import COpenSSL
import Foundation
import InternalAPISecurity
import Testing

@testable import SecureVault

@Suite struct KeyStoreLoadingTests {
    private let passwordVariable = "INTERNAL_API_SECURITY_KEYSTORE_PASSWORD"

    @Test func pkcs12StoreResolves() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "store-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("from-p12"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyAlias = "VAULT"

        let resolver = try fixture.loadResolver(configuration, environment: [passwordVariable: "store-pass"])

        #expect(configuration.effectiveKeyStoreType == .pkcs12)
        #expect(try resolver.resolve(alias: "db") == "from-p12")
    }

    @Test func wrongStorePasswordIsRejected() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "store-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(
                fixture.configuration(keyStore: store), environment: [passwordVariable: "guess-7x"])
        }
        #expect(error.code == .keyStoreFailed)
        #expect(error.value == store)
        #expect(error.reason.contains("password is wrong"))
        #expect(!error.description.contains("guess-7x"))
    }

    @Test func wrongKeyPasswordIsRejected() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "store-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyPassword = PasswordSource(
            environmentVariable: "VAULT_TEST_KEY_PASSWORD", passwordFile: nil, promptsOnTerminal: false)
        let environment = [passwordVariable: "store-pass", "VAULT_TEST_KEY_PASSWORD": "key-guess"]

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(configuration, environment: environment)
        }
        #expect(error.code == .keyStoreFailed)
        #expect(error.value == store)
        #expect(error.reason == "The private key could not be decrypted: the key password is wrong")
        #expect(!error.description.contains("key-guess"))
    }

    @Test func unknownKeyAliasListsAliases() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "store-pass", alias: "signing")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyAlias = "vault"

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(configuration, environment: [passwordVariable: "store-pass"])
        }
        #expect(error.code == .keyStoreFailed)
        #expect(error.value == "\(store) alias vault")
        #expect(error.fix == "use one of the aliases: signing")
    }

    @Test func missingPasswordListsSources() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "store-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(keyStore: store))
        }
        #expect(error.code == .keyStoreFailed)
        #expect(error.reason == "No key store password was given")
        #expect(error.fix?.contains(passwordVariable) == true)
        #expect(error.fix?.contains("password-tmp") == true)
    }

    @Test func passwordFileIsReadAndDeleted() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "file-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("via-file"))\n", to: "secrets.properties")
        try fixture.folder.write("file-pass\n", to: "password-tmp")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyStorePassword.deletesPasswordFileAfterReading = true

        let resolver = try fixture.loadResolver(configuration)

        #expect(try resolver.resolve(alias: "db") == "via-file")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("password-tmp")))
    }

    @Test func passwordFileDeletedAfterEnvironment() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "env-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        try fixture.folder.write("file-pass\n", to: "password-tmp")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyStorePassword.deletesPasswordFileAfterReading = true
        let capture = LogCapture()

        let resolver = try fixture.loadResolver(
            configuration, environment: [passwordVariable: "env-pass"], capture: capture)

        #expect(try resolver.resolve(alias: "db") == "x")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("password-tmp")))
        let deleted = capture.entries(withMessage: "Password file deleted")
        #expect(deleted.count == 1)
        #expect(deleted.first?.level == .notice)
        #expect(deleted.first?.metadata["path"] == fixture.folder.file("password-tmp"))
        #expect(!capture.allText.contains("env-pass"))
        #expect(!capture.allText.contains("file-pass"))
    }

    @Test func missingPasswordFileNotReported() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "env-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyStorePassword.deletesPasswordFileAfterReading = true
        let capture = LogCapture()

        let resolver = try fixture.loadResolver(
            configuration, environment: [passwordVariable: "env-pass"], capture: capture)

        #expect(try resolver.resolve(alias: "db") == "x")
        #expect(capture.entries(withMessage: "Password file deleted").isEmpty)
        #expect(capture.entries(withMessage: "Password file could not be deleted").isEmpty)
    }

    @Test func environmentComesBeforeFile() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "env-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        try fixture.folder.write("file-pass\n", to: "password-tmp")

        let resolver = try fixture.loadResolver(
            fixture.configuration(keyStore: store), environment: [passwordVariable: "env-pass"])

        #expect(try resolver.resolve(alias: "db") == "x")
        #expect(FileManager.default.fileExists(atPath: fixture.folder.file("password-tmp")))
    }

    @Test func promptComesLast() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "vault.p12", password: "typed-pass")
        try fixture.folder.write("db=\(try fixture.encrypt("x"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.keyStorePassword.promptsOnTerminal = true
        let prompt = PasswordPrompt(isAvailable: { true }, ask: { _ in "typed-pass" })

        let resolver = try SecureVaultResolver(
            configuration: configuration, environment: [:], prompt: prompt, logger: LogCapture().logger())

        #expect(try resolver.resolve(alias: "db") == "x")
    }

    @Test func encryptedPEMKeyNeedsPassword() throws {
        let fixture = try VaultFixture()
        let encryptedKey = fixture.folder.file("encrypted-key.pem")
        try ExternalCommand.succeed([
            "openssl", "pkey", "-in", fixture.privateKeyPath, "-aes256", "-passout", "pass:pem-pass",
            "-out", encryptedKey,
        ])
        try fixture.folder.write("db=\(try fixture.encrypt("pem-secret"))\n", to: "secrets.properties")
        let configuration = fixture.configuration(keyStore: encryptedKey)

        let resolver = try fixture.loadResolver(configuration, environment: [passwordVariable: "pem-pass"])
        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(configuration, environment: [passwordVariable: "not-it"])
        }

        #expect(try resolver.resolve(alias: "db") == "pem-secret")
        #expect(error.code == .keyStoreFailed)
        #expect(error.value == encryptedKey)
        #expect(error.reason.contains("password is wrong"))
    }

    @Test func legacyStoreWithoutRC2KeyLoads() throws {
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(name: "legacy.p12", password: "old-pass", extraArguments: ["-legacy"])
        try fixture.folder.write("db=\(try fixture.encrypt("legacy-secret"))\n", to: "secrets.properties")

        let resolver = try fixture.loadResolver(
            fixture.configuration(keyStore: store), environment: [passwordVariable: "old-pass"])

        #expect(try resolver.resolve(alias: "db") == "legacy-secret")
    }

    // One test covers both outcomes, in order, because the legacy provider stays loaded in the
    // process once it is loaded. Tests of other modules (KeyStores) may load it first when all
    // targets run in one process; the refusal can then not be observed, and only the load is
    // checked.
    @Test func rc2KeyNeedsLegacyProvider() throws {
        let legacyAlreadyLoaded = OSSL_PROVIDER_available(nil, "legacy") == 1
        let fixture = try VaultFixture()
        let store = try fixture.exportPKCS12(
            name: "rc2.p12", password: "old-pass",
            extraArguments: ["-legacy", "-keypbe", "PBE-SHA1-RC2-40", "-certpbe", "PBE-SHA1-RC2-40"])
        try fixture.folder.write("db=\(try fixture.encrypt("rc2-secret"))\n", to: "secrets.properties")
        var configuration = fixture.configuration(keyStore: store)
        configuration.allowsLegacyProvider = false
        let environment = [passwordVariable: "old-pass"]

        if !legacyAlreadyLoaded {
            let error = try #require(throws: SecurityError.self) {
                try fixture.loadResolver(configuration, environment: environment)
            }
            #expect(error.code == .keyStoreFailed)
            #expect(error.reason.contains("legacy algorithm"))
            #expect(error.fix?.contains("openssl pkcs12 -export") == true)
        }
        configuration.allowsLegacyProvider = true
        let resolver = try fixture.loadResolver(configuration, environment: environment)

        #expect(try resolver.resolve(alias: "db") == "rc2-secret")
    }

    @Test func javaKeyStoreTypeAccepted() throws {
        #expect(try KeyStoreType(name: "jks") == .jks)
    }

    @Test func jceksTypeExplainsConversion() throws {
        let error = try #require(throws: SecurityError.self) { try KeyStoreType(name: "JCEKS") }

        #expect(error.code == .invalidArgument)
        #expect(error.fix?.contains("keytool -importkeystore") == true)
    }
}
