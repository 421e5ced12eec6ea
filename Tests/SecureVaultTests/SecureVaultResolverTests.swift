import Foundation
import InternalAPISecurity
import Testing

@testable import SecureVault

@Suite struct SecureVaultResolverTests {
    @Test func oaepSecretsResolve() throws {
        let fixture = try VaultFixture()
        let secret = "pässwörd with spaces = and : signs"
        try fixture.folder.write(
            "# vault\nadmin.password=\(try fixture.encrypt(secret))\nother=\(try fixture.encrypt("x"))\n",
            to: "secrets.properties")

        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(try resolver.resolve(alias: "admin.password") == secret)
        #expect(try resolver.resolve(alias: "other") == "x")
        #expect(resolver.aliases == ["admin.password", "other"])
    }

    @Test func pkcs1SecretsResolve() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write(
            "legacy=\(try fixture.encrypt("old-secret", transformation: .rsaPKCS1))\n", to: "secrets.properties")

        let resolver = try fixture.loadResolver(fixture.configuration(transformation: .rsaPKCS1))

        #expect(try resolver.resolve(alias: "legacy") == "old-secret")
    }

    @Test func wrongTransformationIsRejected() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write(
            "legacy=\(try fixture.encrypt("old-secret", transformation: .rsaPKCS1))\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(transformation: .rsaOAEPWithSHA1))
        }
        #expect(error.code == .secretNotResolved)
        #expect(error.value == "legacy")
        #expect(error.reason.contains("could not be decrypted"))
        #expect(error.fix?.contains("transformation") == true)
    }

    @Test func unknownAliasNamesAlias() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("known=\(try fixture.encrypt("value"))\n", to: "secrets.properties")
        let resolver = try fixture.loadResolver(fixture.configuration())

        let error = try #require(throws: SecurityError.self) { try resolver.resolve(alias: "missing") }
        #expect(error.code == .secretNotResolved)
        #expect(error.value == "missing")
        #expect(error.fix?.contains("ciphertool encrypt --alias missing") == true)
    }

    @Test func corruptedBase64NamesAlias() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("broken=not*base64!\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) { try fixture.loadResolver(fixture.configuration()) }
        #expect(error.code == .secretNotResolved)
        #expect(error.value == "broken")
        #expect(error.reason.contains("not valid base64"))
    }

    @Test func otherKeysCiphertextIsRejected() throws {
        let fixture = try VaultFixture()
        let otherFixture = try VaultFixture()
        try fixture.folder.write("db=\(try otherFixture.encrypt("top-secret"))\n", to: "secrets.properties")
        let capture = LogCapture()

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(), capture: capture)
        }
        #expect(error.code == .secretNotResolved)
        #expect(error.value == "db")
        #expect(!error.description.contains("top-secret"))
        #expect(!capture.allText.contains("top-secret"))
    }

    @Test func wrappedBase64Resolves() throws {
        let fixture = try VaultFixture()
        let encoded = try fixture.encrypt("wrapped")
        let middle = encoded.index(encoded.startIndex, offsetBy: 76)
        try fixture.folder.write(
            "wrapped=\(encoded[..<middle])\\\n    \(encoded[middle...])\n", to: "secrets.properties")

        let resolver = try fixture.loadResolver(fixture.configuration())

        #expect(try resolver.resolve(alias: "wrapped") == "wrapped")
    }

    @Test func missingRepositoryNamesFile() throws {
        let fixture = try VaultFixture()

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(repository: "conf/absent.properties"))
        }
        #expect(error.code == .fileNotReadable)
        #expect(error.value == fixture.folder.file("conf/absent.properties"))
        #expect(error.fix?.contains("ciphertool encrypt") == true)
    }

    @Test func missingKeyFileNamesFile() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("a=\(try fixture.encrypt("b"))\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(keyStore: "keys/absent.pem"))
        }
        #expect(error.code == .fileNotReadable)
        #expect(error.value == fixture.folder.file("keys/absent.pem"))
        #expect(error.reason == "Key store file not found")
    }

    @Test func publicKeyCannotDecrypt() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("a=\(try fixture.encrypt("b"))\n", to: "secrets.properties")

        let error = try #require(throws: SecurityError.self) {
            try fixture.loadResolver(fixture.configuration(keyStore: fixture.publicKeyPath))
        }
        #expect(error.code == .keyStoreFailed)
        #expect(error.reason == "The PEM file contains no private key")
    }

    @Test func logsNeverCarrySecrets() throws {
        let fixture = try VaultFixture()
        try fixture.folder.write("db=\(try fixture.encrypt("log-me-not"))\n", to: "secrets.properties")
        let capture = LogCapture()

        let resolver = try fixture.loadResolver(fixture.configuration(), capture: capture)

        #expect(try resolver.resolve(alias: "db") == "log-me-not")
        #expect(capture.entries(withMessage: "Secure vault loaded").count == 1)
        #expect(!capture.allText.contains("log-me-not"))
    }
}
